#!/usr/bin/python3
"""Write directory ROOTFS as a one-layer docker-archive image TAG (what `docker save` writes,
and `ctr images import` reads) to OUT, with ENTRYPOINT ENTRY... when given.

    image.py ROOTFS TAG OUT [ENTRY...]
"""

import hashlib
import io
import json
import platform
import sys
import tarfile

ARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: image.py ROOTFS TAG OUT [ENTRY...]")
    rootfs, tag, out, entry = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
        t.add(rootfs, arcname=".", filter=lambda i: (setattr(i, "mtime", 0), i)[1])
    layer = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": ARCH.get(platform.machine(), platform.machine()), "os": "linux",
        "config": {"Entrypoint": entry or None, "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [tag],
                            "Layers": ["layer.tar"]}]).encode()
    with tarfile.open(out, mode="w") as t:
        add(t, "layer.tar", layer)
        add(t, config_name, config)
        add(t, "manifest.json", manifest)


if __name__ == "__main__":
    main()
