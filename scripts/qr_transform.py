#!/usr/bin/env python3
"""Image transforms for durability tests of QR artwork (PIL only), and negative controls.

    qr_transform.py IN.png OUT.png --modules N --quiet Q TRANSFORM[:ARG] ...

N is the symbol's modules per side (17 + 4 x version), Q the quiet zone in modules: together they
give the pixels per module of IN.png. Transforms, applied in order:

    blank[:0.15]      a centred light square covering that share of the symbol's area (damage)
    blur[:0.3]        Gaussian blur with a standard deviation of that many modules
    contrast[:0.24]   squeeze the dark-light difference to that print contrast signal (light stays)
    rotate[:20]       rotate by that many degrees, light background
    noquiet[:4]       negative control: cut the quiet zone away and put the symbol on a dark
                      surround that many modules wide, so the finder patterns merge into it

The functions are imported by qr_decode.py's --batch mode, so a test runs everything in one process.
"""

import argparse
import math
import sys

from PIL import Image, ImageFilter


def module_px(img: Image.Image, modules: int, quiet: int) -> float:
    return img.width / (modules + 2 * quiet)


def blank(img, modules, quiet, fraction=0.15):
    m = module_px(img, modules, quiet)
    side = math.sqrt(fraction) * modules * m
    cx, cy = img.width / 2, img.height / 2
    out = img.copy()
    box = (round(cx - side / 2), round(cy - side / 2), round(cx + side / 2), round(cy + side / 2))
    out.paste(255, box)
    return out


def blur(img, modules, quiet, sigma_modules=0.3):
    return img.filter(ImageFilter.GaussianBlur(radius=sigma_modules * module_px(img, modules, quiet)))


def contrast(img, modules, quiet, pcs=0.24):
    # PCS = (light - dark) / light: light stays 255, full dark becomes 255 * (1 - pcs).
    return img.point(lambda v: round(255 - (255 - v) * pcs))


def rotate(img, modules, quiet, degrees=20.0):
    return img.rotate(degrees, resample=Image.BICUBIC, expand=True, fillcolor=255)


def noquiet(img, modules, quiet, surround_modules=4):
    m = module_px(img, modules, quiet)
    q = round(quiet * m)
    sym = img.crop((q, q, img.width - q, img.height - q))
    pad = round(surround_modules * m)
    out = Image.new("L", (sym.width + 2 * pad, sym.height + 2 * pad), 0)
    out.paste(sym, (pad, pad))
    return out


TRANSFORMS = {"blank": blank, "blur": blur, "contrast": contrast, "rotate": rotate, "noquiet": noquiet}


def apply(img: Image.Image, specs, modules: int, quiet: int) -> Image.Image:
    """specs: ["blur:0.3", "rotate", ...]."""
    img = img.convert("L")
    for spec in specs:
        name, _, arg = spec.partition(":")
        fn = TRANSFORMS[name]
        img = fn(img, modules, quiet, float(arg)) if arg else fn(img, modules, quiet)
    return img


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--modules", type=int, required=True)
    ap.add_argument("--quiet", type=int, default=4)
    ap.add_argument("transforms", nargs="+")
    a = ap.parse_args()
    apply(Image.open(a.input), a.transforms, a.modules, a.quiet).save(a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
