#!/usr/bin/env python3
"""Output safety and fault injection for the tools (tests/fault/README.md).

usage: test_fault.py TOOLSDIR SHIM SRCDIR

After every fault — a device, a FIFO, a symlink, a full device, a disk
that fills (small tmpfs mounts, as root), a failing fsync / rename /
mkstemp / open (the LD_PRELOAD shim), a fatal signal at a random point —
each output is either absent (or its old content) or complete, no
temporary NAME.XXXXXX file is left, a message names the file, and the exit
status is the documented one (2 usage, 3 output could not be written).
Device nodes are made with mknod in a temporary folder (as root); the
real /dev is never written through a tool as root.
"""
import os, random, re, shutil, signal, stat, subprocess, sys, tempfile, threading, time

tools, shim, src = sys.argv[1], sys.argv[2], sys.argv[3]
ROOT = os.geteuid() == 0
RECORDS = os.path.join(src, "examples", "records-2024-2025.csv")
env = dict(os.environ, LC_ALL="C.UTF-8",
           DTS_CLASSIFIER=os.path.join(src, "classifiers", "cn-digital-trade.xml"),
           ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


def tool(name):
    return os.path.join(tools, name)


def run(args, extra_env=None, **kw):
    e = dict(env, **(extra_env or {}))
    return subprocess.run(args, env=e, capture_output=True, timeout=300, **kw)


def temps(d):
    return [f for f in os.listdir(d) if re.search(r"\.[A-Za-z0-9]{6}$", f)
            and not f.endswith((".csv", ".json", ".xlsx"))]


def make_devices(d):
    """null and full character devices inside d (never the real /dev as root)."""
    if ROOT:
        os.mknod(os.path.join(d, "null"), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(os.path.join(d, "full"), 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    else:  # a normal user cannot rename over /dev; links are enough
        os.symlink("/dev/null", os.path.join(d, "null"))
        os.symlink("/dev/full", os.path.join(d, "full"))


def is_chr(p):
    return stat.S_ISCHR(os.stat(p).st_mode) and (not ROOT or stat.S_ISCHR(os.lstat(p).st_mode))


# What each tool writes, with {o} for the output path, and reference bytes.
CASES = {
    "classify": [tool("dts-classify"), "-q", RECORDS, "-o", "{o}"],
    "aggregate": [tool("dts-aggregate"), "--by", "period:year,category:top", RECORDS, "-o", "{o}"],
    "gen": [tool("dts-gen"), "--seed", "3", "--records", "2000", "-o", "{o}"],
    "report": [tool("dts-report"), RECORDS, "--year", "2025", "-o", "{o}"],
}


def argv(case, out):
    return [a.replace("{o}", out) for a in CASES[case]]


def reference(d, case):
    p = os.path.join(d, "ref-" + case)
    r = run(argv(case, p))
    check(r.returncode == 0, f"{case}: reference run exit {r.returncode}: {r.stderr[-300:]}")
    with open(p, "rb") as f:
        return f.read()


def devices_fifo_symlinks(d, refs):
    for case in CASES:
        for dev in ("null",):
            r = run(argv(case, os.path.join(d, dev)))
            check(r.returncode == 0 and is_chr(os.path.join(d, dev)),
                  f"{case} -o {dev}: exit {r.returncode}, still a device: {is_chr(os.path.join(d, dev))}")
        r = run(argv(case, os.path.join(d, "full")))
        check(r.returncode == 3 and b"No space left on device" in r.stderr
              and is_chr(os.path.join(d, "full")),
              f"{case} -o full: exit {r.returncode} (want 3), stderr {r.stderr[-200:]!r}")
        # A FIFO is written directly, not replaced, and gets every byte.
        fifo = os.path.join(d, "fifo")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
        reader.start()
        r = run(argv(case, fifo))
        reader.join(20)
        if reader.is_alive():  # the tool never opened the FIFO: release the reader
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(5)
        check(r.returncode == 0 and got and got[0] == refs[case]
              and stat.S_ISFIFO(os.lstat(fifo).st_mode), f"{case} -o fifo")
        os.unlink(fifo)
        # A symlink to a regular file stays a link; the file gets the output.
        real, link = os.path.join(d, "real"), os.path.join(d, "link")
        with open(real, "w") as f:
            f.write("old\n")
        os.symlink("real", link)
        r = run(argv(case, link))
        check(r.returncode == 0 and os.path.islink(link) and open(real, "rb").read() == refs[case],
              f"{case} -o symlink: exit {r.returncode}, link kept {os.path.islink(link)}")
        # /dev/stdout-like: standard output that is a pipe.
        r = run(argv(case, "-"))
        check(r.returncode == 0 and r.stdout == refs[case], f"{case} -o -")
        os.unlink(link), os.unlink(real)
        check(temps(d) == [], f"{case}: temporary files left: {temps(d)}")


def same_paths(d):
    x = os.path.join(d, "x.csv")
    for args in (["-o", x, "--rejects", x], ["-o", x, "--summary", x],
                 ["-o", os.path.join(d, ".", "x.csv"), "--rejects", x],
                 ["-o", os.path.join(d, "in.csv")], ["-o", "-", "--summary", "-"]):
        shutil.copy(RECORDS, os.path.join(d, "in.csv"))
        before = open(os.path.join(d, "in.csv"), "rb").read()
        r = run([tool("dts-classify"), "-q", os.path.join(d, "in.csv")] + args)
        check(r.returncode == 2 and (b"same file" in r.stderr or b"is the input" in r.stderr
                                     or b"standard output" in r.stderr),
              f"classify {args}: exit {r.returncode}")
        check(not os.path.exists(x) and open(os.path.join(d, "in.csv"), "rb").read() == before,
              f"classify {args}: a file was written")
    for cmd in ([tool("dts-aggregate"), "--by", "flow"], [tool("dts-report")]):
        r = run(cmd + [os.path.join(d, "in.csv"), "-o", os.path.join(d, "in.csv")])
        check(r.returncode == 2, f"{cmd[0]} -o INPUT: exit {r.returncode}")
    ex = os.path.join(src, "examples")
    r = run([tool("dts-reconcile"), "--key", "id", os.path.join(ex, "reconcile-left.csv"),
             os.path.join(ex, "reconcile-right.csv"), "-o", x, "--details", x])
    check(r.returncode == 2 and not os.path.exists(x), f"reconcile -o X --details X: exit {r.returncode}")
    # Two outputs on the same device are fine.
    r = run([tool("dts-classify"), "-q", RECORDS, "-o", os.path.join(d, "null"), "--rejects",
             os.path.join(d, "null"), "--summary", os.path.join(d, "null")])
    check(r.returncode == 0, f"classify all outputs on one null device: exit {r.returncode}")


def all_or_none(d):
    """A secondary output that fails leaves no primary output (and old files as they were)."""
    out = os.path.join(d, "out.csv")
    with open(out, "w") as f:
        f.write("old\n")
    for args in (["--rejects", os.path.join(d, "full")], ["--summary", os.path.join(d, "full")]):
        r = run([tool("dts-classify"), "-q", RECORDS, "-o", out] + args)
        check(r.returncode == 3 and open(out).read() == "old\n" and temps(d) == [],
              f"classify -o out {args}: exit {r.returncode}, out now {open(out).read()[:20]!r}")
    ex = os.path.join(src, "examples")
    for args in (["--details", os.path.join(d, "full")], ["--matrix", os.path.join(d, "full")]):
        r = run([tool("dts-reconcile"), "--key", "id", os.path.join(ex, "reconcile-left.csv"),
                 os.path.join(ex, "reconcile-right.csv"), "-o", out] + args)
        check(r.returncode == 3 and open(out).read() == "old\n" and temps(d) == [],
              f"reconcile -o out {args}: exit {r.returncode}, out now {open(out).read()[:20]!r}")
    os.unlink(out)


def shim_faults(d, refs):
    out = os.path.join(d, "out.csv")
    for fault, want in (("fsync:1", b"write failed"), ("rename:1", b"cannot rename"),
                        ("mkstemp:1", b"cannot create"), ("mkstemp:2", b"cannot create"),
                        ("fsync:2", b"write failed"), ("fsync:3", b"write failed")):
        with open(out, "w") as f:
            f.write("old\n")
        r = run([tool("dts-classify"), "-q", RECORDS, "-o", out, "--rejects", os.path.join(d, "rj.csv"),
                 "--summary", os.path.join(d, "s.json")], {"LD_PRELOAD": shim, "DTS_FAULT": fault})
        check(r.returncode == 3 and want in r.stderr, f"classify with {fault}: exit {r.returncode}, {r.stderr[-200:]!r}")
        check(open(out).read() == "old\n" and not os.path.exists(os.path.join(d, "rj.csv"))
              and not os.path.exists(os.path.join(d, "s.json")) and temps(d) == [],
              f"classify with {fault}: outputs touched or temporaries left: {temps(d)}")
    for case in ("aggregate", "gen"):
        for fault in ("fsync:1", "rename:1"):
            r = run(argv(case, out), {"LD_PRELOAD": shim, "DTS_FAULT": fault})
            check(r.returncode == 3 and open(out).read() == "old\n" and temps(d) == [],
                  f"{case} with {fault}: exit {r.returncode}")
    os.unlink(out)


def full_disks():
    """A tmpfs that fills at various sizes (root only), mounted on a folder of
    our own: in a private mount namespace where unshare can make one, else
    (in a chroot, where / is no mount point) directly, unmounted by the script."""
    if not ROOT:
        print("skip: small-disk faults need root (mount)")
        return
    ns = ["unshare", "-m"] if shutil.which("unshare") and run(["unshare", "-m", "true"]).returncode == 0 else []
    for size in ("4k", "16k", "40k", "64k"):
        script = (f'set -u; d=$(mktemp -d); mount -t tmpfs -o size={size} tmpfs "$d" || exit 99; '
                  f'printf old > "$d/out.csv"; "$@" -o "$d/out.csv" --rejects "$d/rj.csv"; echo "rc=$?"; '
                  f'ls -A "$d"; cat "$d/out.csv"; echo; umount "$d"; rmdir "$d"')
        r = run(ns + ["sh", "-c", script, "sh", tool("dts-classify"), "-q", RECORDS])
        if b"rc=" not in r.stdout:
            print(f"skip: cannot mount a tmpfs here ({r.stderr[-200:]!r})")
            return
        lines = r.stdout.decode().split("\n")
        rc = [l for l in lines if l.startswith("rc=")][0]
        names = lines[lines.index(rc) + 1:-2]
        check(rc == "rc=3" and b"No space left on device" in r.stderr,
              f"tmpfs {size}: {rc}, stderr {r.stderr[-200:]!r}")
        check(sorted(names) == ["out.csv"] and lines[-2] == "old",
              f"tmpfs {size}: left {names}, out.csv now {lines[-2][:20]!r}")


def signals(d):
    """A fatal signal at random points of a long run: no temporary file, output absent or complete."""
    big = os.path.join(d, "big.csv")
    r = run([tool("dts-gen"), "--seed", "7", "--bytes", "12M", "-o", big])
    check(r.returncode == 0, "gen big input")
    ref = os.path.join(d, "ref-big.csv")
    run([tool("dts-classify"), "-q", big, "-o", ref])
    refb = open(ref, "rb").read()
    rnd = random.Random(int(os.environ.get("DTS_FAULT_SEED", "1")))
    killed = 0
    for i in range(12):
        out = os.path.join(d, "sig-out.csv")
        sig = rnd.choice([signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
        p = subprocess.Popen([tool("dts-classify"), "-q", "-j", str(rnd.choice([1, 2])), big,
                              "-o", out, "--rejects", os.path.join(d, "sig-rj.csv")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             restore_signals=True)
        time.sleep(rnd.uniform(0.0, 0.25))
        p.send_signal(sig)
        rc = p.wait(120)
        killed += rc == -sig
        check(rc in (-sig, 0), f"signal {sig.name}: exit {rc}")
        check(temps(d) == [], f"signal {sig.name}: temporary files left: {temps(d)}")
        check(not os.path.exists(out) or open(out, "rb").read() == refb,
              f"signal {sig.name}: half an output")
        for f in (out, os.path.join(d, "sig-rj.csv")):
            if os.path.exists(f):
                os.unlink(f)
    print(f"signals: {killed} of 12 runs killed mid-way")


with tempfile.TemporaryDirectory(prefix="dts-fault-") as d:
    make_devices(d)
    refs = {c: reference(d, c) for c in CASES}
    for c in CASES:
        os.unlink(os.path.join(d, "ref-" + c))
    devices_fifo_symlinks(d, refs)
    same_paths(d)
    all_or_none(d)
    shim_faults(d, refs)
    full_disks()
    signals(d)
print(f"fault: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
