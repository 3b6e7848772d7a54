#!/usr/bin/env python3
# Writes container images, in every archive layout, and hand-crafted hostile inputs for tests/cli/.
#
# Subcommands (ENTRY is f:PATH=TEXT, f:PATH=@HOSTFILE, l:PATH=TARGET, h:PATH=TARGET (hard link),
# d:PATH, or big:PATH, a header whose size field claims about 2^62 bytes, after which the archive
# simply ends):
#   layer OUT.tar ENTRY...                      an uncompressed layer tar
#   oci DIR [options] LAYER.tar...              an OCI image layout from uncompressed layers
#   docker OUT.tar [options] LAYER.tar...       a legacy `docker save` archive (ID/layer.tar folders)
#   legacy SKOPEO.tar OUT.tar                   legacy layout from a skopeo docker-archive
#   docker25 SKOPEO.tar OUT.tar                 Docker 25+ layout (index.json and manifest.json)
#   retar IN.tar OUT.tar [--first N]... [--last N]... [--drop N]... [ENTRY]...
#                                               copy a tar, moving or dropping members, then
#                                               appending entries
#   bomb DIR MIB [--compress gzip|zstd]         OCI layout whose one layer inflates to MIB of zeros
#   corrupt-layer DOCKER.tar OUT.tar            flip one byte of file data inside the first layer;
#                                               prints that layer's diff_id
#   batch                                       run one subcommand per line of standard input
#                                               (shell-quoted words), sparing a start-up each
# Digests are always computed over the bytes written, so each hostile case breaks only what it
# means to break.

import argparse
import gzip
import hashlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import zlib

FIXED_TIME = "2024-01-02T03:04:05Z"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "gzip2": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd2": "application/vnd.oci.image.layer.v1.tar+zstd",
}


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def pad(data):
    return data + b"\0" * (-len(data) % 512)


def header(ti):
    return ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def huge_header(name):
    """A ustar header whose size is written in base-256 as 2^62: no reader can honour it."""
    ti = tarfile.TarInfo(name)
    ti.size = 0
    ti.mtime = 0
    raw = bytearray(ti.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict"))
    size = bytes([0x80]) + (1 << 62).to_bytes(11, "big")
    raw[124:136] = size
    raw[148:156] = b" " * 8
    raw[148:156] = b"%06o\0 " % sum(raw)
    return bytes(raw)


def entry(spec):
    """Bytes of one tar member from an ENTRY spec; big: entries end the archive early."""
    kind, _, rest = spec.partition(":")
    path, _, value = rest.partition("=")
    if kind == "big":
        return huge_header(path)
    ti = tarfile.TarInfo(path)
    ti.mtime = 1700000000
    ti.uname = ti.gname = "root"
    if kind == "f":
        if value.startswith("@"):
            with open(value[1:], "rb") as f:
                data = f.read()
        else:
            data = value.encode("utf-8", "surrogateescape")
        ti.size = len(data)
        ti.mode = 0o644
        return header(ti) + pad(data)
    if kind in ("l", "h"):
        ti.type = tarfile.SYMTYPE if kind == "l" else tarfile.LNKTYPE
        ti.linkname = value
        ti.mode = 0o777 if kind == "l" else 0o644
        return header(ti)
    if kind == "d":
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
        return header(ti)
    sys.exit("mkimage: unknown entry kind in %r" % spec)


def build_entries(specs):
    out = b"".join(entry(s) for s in specs)
    if not any(s.startswith("big:") for s in specs):
        out += b"\0" * 1024
    return out


def compress(data, how):
    if how == "none":
        return data
    if how == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if how == "zstd":
        return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout
    if how in ("gzip2", "zstd2"):
        # Two members or frames, as parallel compressors write: one stream to every reader.
        half = len(data) // 2
        return compress(data[:half], how[:-1]) + compress(data[half:], how[:-1])
    sys.exit("mkimage: unknown compression %r" % how)


def config_json(diff_ids, created_by, settings=None):
    """settings: run-time config entries, such as {"User": "10001"}, added to the image's config."""
    run_config = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}
    run_config.update(settings or {})
    history = []
    for i in range(len(diff_ids)):
        history.append({"created": FIXED_TIME, "created_by": created_by[i] if i < len(created_by) else "layer %d" % i})
    return json.dumps({
        "created": FIXED_TIME,
        "architecture": "amd64",
        "os": "linux",
        "config": run_config,
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }, separators=(",", ":")).encode()


def parse_settings(pairs):
    """--config KEY=JSON, repeatable: {"User": "10001"} from User='"10001"'."""
    settings = {}
    for pair in pairs or []:
        key, _, value = pair.partition("=")
        settings[key] = json.loads(value)
    return settings


def cmd_layer(args):
    with open(args.out, "wb") as f:
        f.write(build_entries(args.entries))


def write_layout(outdir, descs, diff_ids, created_by, tag, settings=None):
    """index.json, manifest, config and oci-layout around layer blobs already in outdir."""


    def put(data):
        digest = sha256(data)
        with open(os.path.join(outdir, "blobs", "sha256", digest[7:]), "wb") as f:
            f.write(data)
        return digest

    config = config_json(diff_ids, created_by, settings)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "config": {"mediaType": MT_CONFIG, "digest": put(config), "size": len(config)},
        "layers": descs,
    }, separators=(",", ":")).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "mediaType": MT_INDEX,
        "manifests": [{"mediaType": MT_MANIFEST, "digest": put(manifest), "size": len(manifest),
                       "annotations": {"org.opencontainers.image.ref.name": tag}}],
    }, separators=(",", ":")).encode()
    with open(os.path.join(outdir, "index.json"), "wb") as f:
        f.write(index)
    with open(os.path.join(outdir, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')


def cmd_oci(args):
    blobs = os.path.join(args.dir, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    diff_ids, descs = [], []
    for path in args.layers:
        with open(path, "rb") as f:
            raw = f.read()
        diff_ids.append(sha256(raw))
        blob = compress(raw, args.compress)
        if args.truncate_blob:
            blob = blob[: len(blob) // 2]
        digest = sha256(blob)
        with open(os.path.join(blobs, digest[7:]), "wb") as f:
            f.write(blob)
        descs.append({"mediaType": MT_LAYER[args.compress], "digest": digest, "size": len(blob)})
    if args.bad_diff_id:
        diff_ids[0] = "sha256:" + "0" * 64
    if args.drop_diff_id:
        diff_ids.pop()
    if args.missing_blob:
        descs.append({"mediaType": MT_LAYER["gzip"], "digest": "sha256:" + "ab" * 32, "size": 1234})
        diff_ids.append("sha256:" + "cd" * 32)
    write_layout(args.dir, descs, diff_ids, args.created_by, args.tag, parse_settings(args.config))


def cmd_bomb(args):
    """A layer of one file of zeros, streamed so that the gigabyte never sits in memory."""
    blobs = os.path.join(args.dir, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    size = args.mib << 20
    ti = tarfile.TarInfo("zeros")
    ti.size = size
    ti.mtime = 1700000000
    raw_hash, blob_hash = hashlib.sha256(), hashlib.sha256()
    tmp = os.path.join(blobs, "tmp")
    with open(tmp, "wb") as out:
        if args.compress == "gzip":
            z = zlib.compressobj(1, zlib.DEFLATED, 31)
            sink = lambda data: z.compress(data)
        else:
            proc = subprocess.Popen(["zstd", "-q", "-1", "-c"], stdin=subprocess.PIPE, stdout=out)
            sink = lambda data: proc.stdin.write(data) and b""

        def feed(data):
            raw_hash.update(data)
            chunk = sink(data)
            if chunk:
                out.write(chunk)

        feed(header(ti))
        zeros = b"\0" * (1 << 20)
        for _ in range(args.mib):
            feed(zeros)
        feed(b"\0" * 1024)
        if args.compress == "gzip":
            out.write(z.flush())
        else:
            proc.stdin.close()
            proc.wait()
    with open(tmp, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            blob_hash.update(chunk)
    digest = "sha256:" + blob_hash.hexdigest()
    os.rename(tmp, os.path.join(blobs, digest[7:]))
    descs = [{"mediaType": MT_LAYER[args.compress], "digest": digest, "size": os.path.getsize(os.path.join(blobs, digest[7:]))}]
    write_layout(args.dir, descs, ["sha256:" + raw_hash.hexdigest()], ["ADD zeros /"], "latest")


def add_bytes(tf, name, data, mode=0o644):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mode = mode
    ti.mtime = 1700000000
    tf.addfile(ti, io.BytesIO(data))


def add_dir(tf, name):
    ti = tarfile.TarInfo(name)
    ti.type = tarfile.DIRTYPE
    ti.mode = 0o755
    ti.mtime = 1700000000
    tf.addfile(ti)


def v1_ids(diff_ids):
    """Legacy layer folder names: a chain hash, as old Docker derived them."""
    ids, parent = [], ""
    for d in diff_ids:
        parent = hashlib.sha256((parent + " " + d).encode()).hexdigest()
        ids.append(parent)
    return ids


def write_legacy(out, layers, config, repo_tag):
    """layers: list of (size, opener) of uncompressed tars in manifest order.

    Folders are written sorted by ID, as `docker save` walked its temporary folder, so layers
    appear out of manifest order; manifest.json is the very last member, as in a stream.
    """
    diff_ids = json.loads(config)["rootfs"]["diff_ids"]
    ids = v1_ids(diff_ids)
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for i in sorted(range(len(ids)), key=lambda k: ids[k]):
            add_dir(tf, ids[i] + "/")
            add_bytes(tf, ids[i] + "/VERSION", b"1.0")
            v1 = {"id": ids[i], "created": FIXED_TIME}
            if i:
                v1["parent"] = ids[i - 1]
            add_bytes(tf, ids[i] + "/json", json.dumps(v1).encode())
            size, opener = layers[i]
            ti = tarfile.TarInfo(ids[i] + "/layer.tar")
            ti.size = size
            ti.mode = 0o644
            ti.mtime = 1700000000
            with opener() as f:
                tf.addfile(ti, f)
        add_bytes(tf, config_name, config)
        name, _, tag = repo_tag.rpartition(":")
        add_bytes(tf, "repositories", json.dumps({name: {tag: ids[-1]}}).encode())
        manifest = [{"Config": config_name, "RepoTags": [repo_tag],
                     "Layers": [i + "/layer.tar" for i in ids]}]
        add_bytes(tf, "manifest.json", json.dumps(manifest).encode())


def write_docker25(out, layers, config, repo_tag):
    """The layout Docker 25+ saves: an OCI layout of uncompressed blobs plus manifest.json."""
    diff_ids = json.loads(config)["rootfs"]["diff_ids"]
    config_digest = sha256(config)
    descs = [{"mediaType": MT_LAYER["none"], "digest": d, "size": layers[i][0]} for i, d in enumerate(diff_ids)]
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "config": {"mediaType": MT_CONFIG, "digest": config_digest, "size": len(config)},
        "layers": descs,
    }, separators=(",", ":")).encode()
    manifest_digest = sha256(manifest)
    name, _, tag = repo_tag.rpartition(":")
    full_name = name if "/" in name else "docker.io/library/" + name
    index = {"schemaVersion": 2, "mediaType": MT_INDEX,
             "manifests": [{"mediaType": MT_MANIFEST, "digest": manifest_digest, "size": len(manifest),
                            "annotations": {"io.containerd.image.name": full_name + ":" + tag,
                                            "org.opencontainers.image.ref.name": tag}}]}
    legacy = [{"Config": "blobs/sha256/" + config_digest[7:], "RepoTags": [repo_tag],
               "Layers": ["blobs/sha256/" + d[7:] for d in diff_ids],
               "LayerSources": {d["digest"]: d for d in descs}}]
    blobs = {config_digest[7:]: ("config", None), manifest_digest[7:]: ("manifest", None)}
    for i, d in enumerate(diff_ids):
        blobs[d[7:]] = ("layer", i)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        add_dir(tf, "blobs/")
        add_dir(tf, "blobs/sha256/")
        for hexname in sorted(blobs):
            what, i = blobs[hexname]
            if what == "config":
                add_bytes(tf, "blobs/sha256/" + hexname, config)
            elif what == "manifest":
                add_bytes(tf, "blobs/sha256/" + hexname, manifest)
            else:
                size, opener = layers[i]
                ti = tarfile.TarInfo("blobs/sha256/" + hexname)
                ti.size = size
                ti.mode = 0o644
                ti.mtime = 1700000000
                with opener() as f:
                    tf.addfile(ti, f)
        add_bytes(tf, "index.json", json.dumps(index, separators=(",", ":")).encode())
        add_bytes(tf, "manifest.json", json.dumps(legacy, separators=(",", ":")).encode())
        add_bytes(tf, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add_bytes(tf, "repositories", json.dumps({full_name: {tag: manifest_digest[7:]}}).encode())


def read_skopeo(path):
    """The config, repo tag and layer openers of a skopeo docker-archive (uncompressed layers)."""
    tf = tarfile.open(path, "r:")
    manifest = json.load(tf.extractfile("manifest.json"))[0]
    config = tf.extractfile(manifest["Config"]).read()
    layers = []
    for name in manifest["Layers"]:
        member = tf.getmember(name)
        while member.issym():
            member = tf.getmember(member.linkpath)
        layers.append((member.size, lambda m=member: tf.extractfile(m)))
    tag = manifest["RepoTags"][0].split("/")[-1]
    return tf, config, tag, layers


def cmd_legacy(args):
    tf, config, tag, layers = read_skopeo(args.src)
    write_legacy(args.out, layers, config, tag)
    tf.close()


def cmd_docker25(args):
    tf, config, tag, layers = read_skopeo(args.src)
    write_docker25(args.out, layers, config, tag)
    tf.close()


def cmd_docker(args):
    raws = []
    for path in args.layers:
        with open(path, "rb") as f:
            raws.append(f.read())
    diff_ids = [sha256(r) for r in raws]
    config = config_json(diff_ids, args.created_by, parse_settings(args.config))
    layers = [(len(r), lambda r=r: io.BytesIO(r)) for r in raws]
    write_legacy(args.out, layers, config, args.tag)


def cmd_retar(args):
    with tarfile.open(args.src, "r:") as src, open(args.out, "wb") as out:
        members = src.getmembers()
        first = [m for n in args.first for m in members if m.name == n]
        last = [m for n in args.last for m in members if m.name == n]
        middle = [m for m in members if m not in first and m not in last]
        for m in first + middle + last:
            if m.name in args.drop:
                continue
            out.write(header(m))
            if m.isfile():
                f = src.extractfile(m)
                shutil.copyfileobj(f, out)
                out.write(b"\0" * (-m.size % 512))
        # Appended by hand so that hostile names are written exactly as given.
        out.write(build_entries(args.entries) if args.entries else b"\0" * 1024)


def cmd_corrupt_layer(args):
    with tarfile.open(args.src, "r:") as outer:
        manifest = json.load(outer.extractfile("manifest.json"))[0]
        layer = outer.getmember(manifest["Layers"][0])
        inner = tarfile.open(fileobj=outer.extractfile(layer), mode="r:")
        victim = next(m for m in inner.getmembers() if m.isfile() and m.size > 0)
        offset = layer.offset_data + victim.offset_data
        config = json.loads(outer.extractfile(manifest["Config"]).read())
    shutil.copyfile(args.src, args.out)
    with open(args.out, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0x20]))
    print(config["rootfs"]["diff_ids"][0])


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("layer")
    s.add_argument("out")
    s.add_argument("entries", nargs="*")
    s.set_defaults(fn=cmd_layer)
    s = sub.add_parser("oci")
    s.add_argument("dir")
    s.add_argument("--compress", default="gzip", choices=["none", "gzip", "zstd", "gzip2", "zstd2"],
                   help="gzip2 and zstd2 write two members or frames")
    s.add_argument("--tag", default="latest")
    s.add_argument("--created-by", action="append", default=[])
    s.add_argument("--config", action="append", default=[], help="KEY=JSON run-time config setting")
    s.add_argument("--truncate-blob", action="store_true", help="cut every layer blob in half")
    s.add_argument("--bad-diff-id", action="store_true", help="config lists a wrong first diff_id")
    s.add_argument("--missing-blob", action="store_true", help="manifest names a blob that is absent")
    s.add_argument("--drop-diff-id", action="store_true", help="config lists one diff_id too few")
    s.add_argument("layers", nargs="+")
    s.set_defaults(fn=cmd_oci)
    s = sub.add_parser("bomb")
    s.add_argument("dir")
    s.add_argument("mib", type=int)
    s.add_argument("--compress", default="gzip", choices=["gzip", "zstd"])
    s.set_defaults(fn=cmd_bomb)
    s = sub.add_parser("docker")
    s.add_argument("out")
    s.add_argument("--tag", default="customs-hostile:latest")
    s.add_argument("--created-by", action="append", default=[])
    s.add_argument("--config", action="append", default=[], help="KEY=JSON run-time config setting")
    s.add_argument("layers", nargs="+")
    s.set_defaults(fn=cmd_docker)
    for name, fn in (("legacy", cmd_legacy), ("docker25", cmd_docker25)):
        s = sub.add_parser(name)
        s.add_argument("src")
        s.add_argument("out")
        s.set_defaults(fn=fn)
    s = sub.add_parser("retar")
    s.add_argument("src")
    s.add_argument("out")
    s.add_argument("--first", action="append", default=[])
    s.add_argument("--last", action="append", default=[])
    s.add_argument("--drop", action="append", default=[])
    s.add_argument("entries", nargs="*")
    s.set_defaults(fn=cmd_retar)
    s = sub.add_parser("corrupt-layer")
    s.add_argument("src")
    s.add_argument("out")
    s.set_defaults(fn=cmd_corrupt_layer)
    s = sub.add_parser("batch")
    s.set_defaults(fn=None)
    args = p.parse_args()
    if args.cmd != "batch":
        args.fn(args)
        return
    for line in sys.stdin:
        if line.strip():
            one = p.parse_args(shlex.split(line))
            one.fn(one)


if __name__ == "__main__":
    main()
