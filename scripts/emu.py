#!/usr/bin/env python3
"""Boot lamina in an emulator and talk to its serial console.

Used by scripts/run-qemu (AMD-V: QEMU TCG, or KVM) and scripts/run-bochs
(VT-x: Bochs), and by the boot tests.  A run is a list of steps:
  --expect REGEX   wait until the console output (since the last match)
                   matches REGEX; fail with the last lines on timeout
  --send TEXT      type TEXT on the console (\\r, \\n, \\x1b escapes work)
  --reject REGEX   fail at once if REGEX ever appears
Exit status: 0 when every step passed, 1 on a failed expectation or
timeout, 2 on a usage or setup error.  The whole console output is
written to --log.
"""
import argparse
import codecs
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tty

HERE = os.path.dirname(os.path.abspath(__file__))


class Steps(argparse.Action):
    """Keep --expect/--send in command-line order."""

    def __call__(self, parser, ns, value, option_string=None):
        ns.steps.append((self.dest, value))


def parse_args(backend):
    p = argparse.ArgumentParser(prog="run-" + backend, description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--iso", required=True, help="boot image (scripts/mkiso)")
    p.add_argument("--timeout", type=float, default=60, help="seconds for the whole run")
    p.add_argument("--log", help="write the console output here")
    p.add_argument("--mem", default="512", help="host RAM in MiB for the emulator")
    p.add_argument("--interactive", action="store_true",
                   help="connect the console to this terminal (Ctrl-A X quits QEMU)")
    p.add_argument("--expect", dest="expect", action=Steps, default=None)
    p.add_argument("--send", dest="send", action=Steps, default=None)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--type-delay", type=float, default=0.05,
                   help="seconds between typed bytes: a BIOS keyboard buffer holds 15 keys")
    p.add_argument("--quiet", action="store_true", help="do not echo the console")
    if backend == "qemu":
        p.add_argument("--cpu", default=os.environ.get("QEMU_CPU", ""),
                       help="QEMU -cpu model (default qemu64,+svm,+npt under TCG)")
        p.add_argument("--accel", default=os.environ.get("ACCEL", "auto"),
                       choices=["auto", "tcg", "kvm"])
        p.add_argument("--qemu-arg", action="append", default=[])
    else:
        p.add_argument("--cpu", default=os.environ.get("BOCHS_CPU", "corei7_skylake_x"),
                       help="Bochs CPU model")
    p.set_defaults(steps=[])
    return p.parse_args()


def kvm_nested_ok():
    """KVM is usable for lamina when /dev/kvm exists and nesting is on."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False, "no /dev/kvm"
    for mod in ("kvm_intel", "kvm_amd"):
        path = f"/sys/module/{mod}/parameters/nested"
        if os.path.exists(path):
            val = open(path).read().strip()
            if val in ("Y", "1"):
                return True, mod
            return False, (f"{mod} is loaded with nested virtualization off: "
                           f"run 'modprobe -r {mod} && modprobe {mod} nested=1'")
    return False, "neither kvm_intel nor kvm_amd is loaded"


def qemu_command(a, serial):
    accel = a.accel
    if accel == "auto":
        ok, why = kvm_nested_ok()
        accel = "kvm" if ok else "tcg"
    elif accel == "kvm":
        ok, why = kvm_nested_ok()
        if not ok:
            sys.exit(f"run-qemu: cannot use KVM: {why}")
    cpu = a.cpu or ("host" if accel == "kvm" else "qemu64,+svm,+npt")
    return ["qemu-system-x86_64", "-accel", accel, "-cpu", cpu, "-m", a.mem,
            "-display", "none", "-vga", "none", "-no-reboot", "-serial", serial,
            "-monitor", "none", "-cdrom", a.iso, "-boot", "d"] + a.qemu_arg


BOCHSRC = """config_interface: textconfig
display_library: term
memory: guest={mem}, host={mem}
cpu: model={cpu}, count=1, ips=50000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=term, dev={serial}
port_e9_hack: enabled=1
log: {workdir}/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
clock: sync=none, time0=local
speaker: enabled=0
sound: driver=dummy
"""


def start_bochs(a, serial_path, workdir):
    rc = os.path.join(workdir, "bochsrc")
    with open(rc, "w") as f:
        f.write(BOCHSRC.format(mem=a.mem, cpu=a.cpu, iso=os.path.abspath(a.iso),
                               serial=serial_path, workdir=workdir))
    cont = os.path.join(workdir, "cont.rc")
    with open(cont, "w") as f:
        f.write("c\nquit\n")
    out = open(os.path.join(workdir, "bochs.out"), "wb")
    proc = subprocess.Popen(["bochs-bin", "-q", "-f", rc, "-rc", cont],
                            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                            cwd=workdir, start_new_session=True)
    # The term display draws on a new pty named in stdout; Bochs blocks
    # once ~56 KB of screen output is unread, so drain it (testbench.md).
    drain = None
    deadline = time.time() + 20
    while time.time() < deadline and proc.poll() is None and drain is None:
        text = open(os.path.join(workdir, "bochs.out"), "rb").read().decode("latin-1")
        m = re.search(r"(/dev/pts/\d+)", text)
        if m:
            drain = subprocess.Popen(["cat", m.group(1)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        else:
            time.sleep(0.05)
    return proc, drain


def stop(proc, backend):
    if proc.poll() is not None:
        return
    try:
        # Bochs ignores SIGTERM; SIGINT stops it (testbench.md).
        os.killpg(proc.pid, signal.SIGINT if backend == "bochs" else signal.SIGTERM)
        proc.wait(timeout=10)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def unescape(s):
    return codecs.decode(s, "unicode_escape")


def run(backend):
    a = parse_args(backend)
    if not os.path.exists(a.iso):
        print(f"run-{backend}: {a.iso} does not exist (make iso)", file=sys.stderr)
        return 2
    if a.interactive and backend == "qemu":
        cmd = qemu_command(a, "mon:stdio")
        print("run-qemu: " + " ".join(cmd), file=sys.stderr)
        print("run-qemu: Ctrl-A X quits QEMU", file=sys.stderr)
        return subprocess.call(cmd)

    # The console is a pty we own: the emulator gets its slave side.
    master, slave = pty.openpty()
    tty.setraw(slave)
    slave_path = os.ttyname(slave)
    workdir = tempfile.mkdtemp(prefix="lamina-" + backend + "-")
    drain = None
    if backend == "qemu":
        cmd = qemu_command(a, slave_path)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(workdir, "qemu.err"), "wb"),
                                start_new_session=True)
    else:
        proc, drain = start_bochs(a, slave_path, workdir)

    log = open(a.log, "wb") if a.log else None
    seen = b""          # all output
    pos = 0             # where the next --expect starts looking
    steps = list(a.steps)
    rejects = [re.compile(r.encode()) for r in a.reject]
    deadline = time.time() + a.timeout
    result, why = 0, ""
    if a.interactive:
        steps = []
    try:
        while True:
            while steps and steps[0][0] == "send":
                for ch in unescape(steps.pop(0)[1]).encode("latin-1"):
                    os.write(master, bytes([ch]))
                    time.sleep(a.type_delay)
            if not steps and not a.interactive:
                break
            left = deadline - time.time()
            if left <= 0:
                result, why = 1, f"timed out after {a.timeout:.0f}s waiting for {steps[0][1]!r}"
                break
            r, _, _ = select.select([master] + ([0] if a.interactive else []), [], [],
                                    min(left, 0.2))
            if master in r:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    data = b""
                if data:
                    seen += data
                    if log:
                        log.write(data)
                        log.flush()
                    if not a.quiet:
                        sys.stdout.buffer.write(data)
                        sys.stdout.buffer.flush()
            if 0 in r:
                os.write(master, os.read(0, 1024))
            for rj in rejects:
                m = rj.search(seen)
                if m:
                    result, why = 1, f"found rejected output {m.group(0)!r}"
                    break
            if result:
                # keep reading briefly so the report shows the whole line
                end = time.time() + 1
                while time.time() < end and select.select([master], [], [], 0.1)[0]:
                    try:
                        data = os.read(master, 65536)
                    except OSError:
                        break
                    seen += data
                    if log:
                        log.write(data)
                break
            m = re.compile(steps[0][1].encode(), re.S).search(seen, pos)
            if m:
                pos = m.end()
                steps.pop(0)
            elif proc.poll() is not None:
                # let the pty drain once more before giving up
                if not select.select([master], [], [], 0.2)[0]:
                    result, why = 1, (f"{backend} exited ({proc.returncode}) before "
                                      f"{steps[0][1]!r} appeared")
                    break
    finally:
        stop(proc, backend)
        if drain:
            drain.kill()
        os.close(master)
        os.close(slave)
        if log:
            log.close()
    if result:
        tail = seen.decode("latin-1").replace("\r", "").splitlines()[-25:]
        print(f"\nrun-{backend}: FAIL: {why}; last console lines:", file=sys.stderr)
        for line in tail:
            print("  | " + line, file=sys.stderr)
        for name in ("qemu.err", "bochs.out"):
            path = os.path.join(workdir, name)
            if os.path.exists(path) and os.path.getsize(path) and backend == "qemu":
                print(f"run-{backend}: {name}: " + open(path, errors="replace").read()[-800:],
                      file=sys.stderr)
    shutil.rmtree(workdir, ignore_errors=True)
    return result


if __name__ == "__main__":
    sys.exit(run(sys.argv.pop(1)))
