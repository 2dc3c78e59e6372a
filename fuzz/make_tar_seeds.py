#!/usr/bin/env python3
"""Writes the tar seeds in corpus/tar_reader_fuzz/ (run from fuzz/; kept small:
one 512-byte block per header and record padding of 1024 bytes)."""
import io
import tarfile

tarfile.RECORDSIZE = 1024  # no 10 KiB padding


def build(name, fmt, members):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        for path, kind, data in members:
            info = tarfile.TarInfo(path)
            info.mtime = 1764979200
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = data
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    with open(f"corpus/tar_reader_fuzz/{name}", "wb") as f:
        f.write(out.getvalue())


module = b'id = "phish-basics"\ntitle = "Spotting phishing"\nlocale = "en"\n'
lesson = "# Spotting phishing\n\nLook at the sender. \u00e9\n".encode()
build("module_ustar.tar", tarfile.USTAR_FORMAT,
      [("./", "dir", b""), ("./module.toml", "file", module), ("./lessons", "dir", b""),
       ("./lessons/01.md", "file", lesson)])
build("long_names_gnu.tar", tarfile.GNU_FORMAT,
      [("m/" + "a" * 120 + "/lesson.md", "file", lesson), ("m/module.toml", "file", module)])
build("long_names_pax.tar", tarfile.PAX_FORMAT,
      [("m/" + "b" * 150 + "/\u00fcbung.md", "file", lesson), ("m/empty.txt", "file", b"")])
build("symlink_refused.tar", tarfile.USTAR_FORMAT,
      [("m/module.toml", "file", module), ("m/link", "symlink", "../../etc/passwd")])
build("traversal_refused.tar", tarfile.USTAR_FORMAT, [("../escape.md", "file", lesson)])
