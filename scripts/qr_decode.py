#!/usr/bin/env python3
"""Decode QR artwork with real decoders (zxing-cpp, and zbarimg as a second opinion).

    qr_decode.py [--dpi N] FILE...                  one JSON list per file (one line each)
    qr_decode.py --jsonl [--dpi N] [--no-zbar] FILE...  one JSON object per file
    qr_decode.py --tsv   [--dpi N] [--no-zbar] FILE...  one tab-separated line per file

FILE may be .png, .svg, .pdf (first page) or .eps; vectors are rasterised first
(rsvg-convert, pdftoppm -gray, gs -sDEVICE=pnggray -dEPSCrop) at --dpi (default 400).

Default mode: every QR symbol zxing-cpp finds in the file, as a JSON list of
{"text", "ec_level", "version", "format", "symbology_identifier"} (empty list if none; a sheet of
many codes gives many). With one FILE the output is exactly one JSON list. Exit status 0 unless a
file cannot be read or rasterised.

--jsonl: {"file", "ok", "text", "ec_level", "version", "symbology_identifier", "zbar_text",
"zbar_inverted", "error"} for the first symbol; zbarimg is retried with -Stest-inverted for
light-on-dark codes. --tsv: the same as tab-separated columns (file, ok, text, ec_level, version,
zbar_text, zbar_inverted; "-" for none), for callers without a JSON parser. In these modes the exit
status is 0 only if zxing-cpp decoded every file.

--batch: read a JSON list of {"file", "dpi"?, "transforms"?, "modules"?, "quiet"?} from stdin
and print one JSON list with, per entry: {"file", "zxing": {"text", "ec_level", "version", "uec"} or
null (zxing-cpp, inverted symbols allowed), "zxing_no_invert": text or null (zxing-cpp told not to
try inverted), "zbar": text or null (plain zbarimg), "zbar_inverted": text or null (zbarimg
-Stest-inverted), "error"}. "transforms" are qr_transform.py specs ("blur:0.3", "rotate:20", ...),
applied after rasterising; they need "modules" (symbol modules per side) and "quiet" (quiet zone
modules). Entries run on all cores; every decoder sees the same rasterised (and transformed) image.

"uec" is zxing-cpp's share of the error correction left unused (1.0 = the symbol read clean).

Needs: pip install zxing-cpp pillow; apt-get install zbar-tools librsvg2-bin poppler-utils ghostscript.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import zxingcpp
from PIL import Image


def rasterise(path: str, dpi: int, workdir: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    base = os.path.join(workdir, os.path.basename(path))
    if ext == ".png":
        return path
    if ext == ".svg":
        out = base + ".png"
        subprocess.run(
            ["rsvg-convert", "--dpi-x", str(dpi), "--dpi-y", str(dpi), "-f", "png", "-o", out, path],
            check=True, capture_output=True)
        return out
    if ext == ".pdf":
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", "1", "-l", "1",
                        path, base], check=True, capture_output=True)
        return base + ".png"
    if ext in (".eps", ".ps"):
        out = base + ".png"
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-dEPSCrop",
                        f"-r{dpi}", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=1",
                        f"-sOutputFile={out}", path], check=True, capture_output=True)
        return out
    raise ValueError(f"unsupported file type: {ext}")


def flatten(img: Image.Image) -> Image.Image:
    """Greyscale on white: transparent areas (none expected in our artwork) become white."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, img)
    return img.convert("L")


def zbar(png: str):
    for extra, inverted in (([], False), (["-Stest-inverted"], True)):
        r = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", *extra, png],
                           capture_output=True)
        if r.returncode == 0 and r.stdout:
            return r.stdout.decode("utf-8", "replace").rstrip("\n"), inverted
    return None, None


def symbol_dict(b) -> dict:
    extra = b.extra if isinstance(getattr(b, "extra", None), dict) else {}
    version = extra.get("Version", getattr(b, "version", None))
    uec = extra.get("UEC")
    return {"text": b.text, "ec_level": str(b.ec_level) or extra.get("ECLevel"),
            "version": int(version) if version not in (None, "") else None,
            "format": str(b.format), "symbology_identifier": b.symbology_identifier,
            "uec": float(uec) if uec is not None else None}


def decode_all(path: str, dpi: int, workdir: str) -> list:
    img = flatten(Image.open(rasterise(path, dpi, workdir)))
    return [symbol_dict(b) for b in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def decode(path: str, dpi: int, use_zbar: bool, workdir: str) -> dict:
    res = {"file": path, "ok": False, "text": None, "ec_level": None, "version": None,
           "symbology_identifier": None, "zbar_text": None, "zbar_inverted": None, "error": None}
    try:
        png = rasterise(path, dpi, workdir)
        img = flatten(Image.open(png))
        found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, try_invert=True)
        if found:
            d = symbol_dict(found[0])
            res.update(ok=True, text=d["text"], ec_level=d["ec_level"], version=d["version"],
                       symbology_identifier=d["symbology_identifier"])
        else:
            res["error"] = "zxing-cpp found no QR code"
        if use_zbar:
            res["zbar_text"], res["zbar_inverted"] = zbar(png)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        detail = getattr(e, "stderr", b"") or b""
        res["error"] = f"{e} {detail.decode('utf-8', 'replace')[:300]}".strip()
    return res


def zbar_one(png: str, inverted: bool):
    extra = ["-Stest-inverted"] if inverted else []
    r = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", *extra, png], capture_output=True)
    if r.returncode == 0 and r.stdout:
        return r.stdout.decode("utf-8", "replace").rstrip("\n")
    return None


def batch_one(i: int, entry: dict, workdir: str) -> dict:
    path = entry["file"]
    res = {"file": path, "zxing": None, "zxing_no_invert": None, "zbar": None, "zbar_inverted": None, "error": None}
    try:
        sub = os.path.join(workdir, str(i))
        os.makedirs(sub, exist_ok=True)
        png = rasterise(path, int(entry.get("dpi", 400)), sub)
        img = flatten(Image.open(png))
        if entry.get("transforms"):
            import qr_transform  # next to this script
            img = qr_transform.apply(img, entry["transforms"], int(entry["modules"]), int(entry.get("quiet", 4)))
        png = os.path.join(sub, "decoded.png")
        img.save(png)
        fmt = zxingcpp.BarcodeFormat.QRCode
        found = zxingcpp.read_barcodes(img, formats=fmt, try_invert=True)
        if found:
            d = symbol_dict(found[0])
            res["zxing"] = {k: d[k] for k in ("text", "ec_level", "version", "uec")}
        plain = zxingcpp.read_barcodes(img, formats=fmt, try_invert=False)
        res["zxing_no_invert"] = plain[0].text if plain else None
        res["zbar"] = zbar_one(png, False)
        res["zbar_inverted"] = zbar_one(png, True)
    except (subprocess.CalledProcessError, OSError, ValueError, KeyError) as e:
        detail = getattr(e, "stderr", b"") or b""
        res["error"] = f"{e!r} {detail.decode('utf-8', 'replace')[:300]}".strip()
    return res


def batch() -> int:
    from concurrent.futures import ThreadPoolExecutor
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    entries = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="qr_decode_") as workdir:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            out = list(pool.map(lambda ie: batch_one(ie[0], ie[1], workdir), enumerate(entries)))
    print(json.dumps(out, ensure_ascii=False))
    return 0


def main() -> int:
    if sys.argv[1:] == ["--batch"]:
        return batch()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dpi", type=int, default=400)
    ap.add_argument("--no-zbar", action="store_true")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--jsonl", action="store_true")
    mode.add_argument("--tsv", action="store_true")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="qr_decode_") as workdir:
        if not (args.jsonl or args.tsv):
            for f in args.files:
                try:
                    print(json.dumps(decode_all(f, args.dpi, workdir), ensure_ascii=False), flush=True)
                except (subprocess.CalledProcessError, OSError, ValueError) as e:
                    print(f"{f}: {e}", file=sys.stderr)
                    ok = False
            return 0 if ok else 2
        for f in args.files:
            r = decode(f, args.dpi, not args.no_zbar, workdir)
            ok &= r["ok"]
            if args.tsv:
                cols = [r["file"], r["ok"], r["text"], r["ec_level"], r["version"], r["zbar_text"],
                        r["zbar_inverted"]]
                print("\t".join("-" if c is None else str(c) for c in cols), flush=True)
            else:
                print(json.dumps(r, ensure_ascii=False), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
