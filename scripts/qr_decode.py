#!/usr/bin/env python3
"""Decode every QR symbol in an image with zxing-cpp and print a JSON list of
{"text", "ec_level", "version", "format"} objects. Used by the test suite as an independent decoder."""
import json
import sys

import zxingcpp
from PIL import Image


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: qr_decode.py IMAGE", file=sys.stderr)
        return 2
    img = Image.open(sys.argv[1]).convert("L")
    results = []
    for r in zxingcpp.read_barcodes(img):
        results.append({
            "text": r.text,
            "ec_level": getattr(r, "ec_level", ""),
            "version": getattr(r, "version", ""),
            "format": str(r.format),
        })
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
