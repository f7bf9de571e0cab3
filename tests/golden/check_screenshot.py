#!/usr/bin/env python3
"""Checks a PNG screenshot of report.html: not blank, and styled (the given colours appear).

usage: check_screenshot.py FILE.png TOP_COLOUR COLOUR...
TOP_COLOUR (#rrggbb) must appear in the top fifth of the image (the verdict banner); every other
COLOUR anywhere (the charts' route colours). Exit 0 when all hold; else 1, saying what is missing.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def colours(rows, channels, y0, y1):
    seen = set()
    for row in rows[y0:y1]:
        for i in range(0, len(row), channels):
            seen.add(row[i:i + 3])
    return seen


def near(seen, hex_colour):
    want = bytes.fromhex(hex_colour.lstrip("#"))
    return any(all(abs(s[k] - want[k]) <= 6 for k in range(3)) for s in seen)


def main():
    path, top, others = sys.argv[1], sys.argv[2], sys.argv[3:]
    width, height, channels, rows = decode(path)
    everything = colours(rows, channels, 0, height)
    problems = []
    if len(everything) < 20:
        problems.append(f"only {len(everything)} colours: a blank or unstyled render")
    if not near(colours(rows, channels, 0, height // 5), top):
        problems.append(f"{top} (the verdict banner) is not in the top fifth")
    for c in others:
        if not near(everything, c):
            problems.append(f"{c} appears nowhere")
    if problems:
        print(f"{path} ({width}x{height}): " + "; ".join(problems))
        return 1
    print(f"{path} ({width}x{height}): {len(everything)} colours, banner and charts drawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
