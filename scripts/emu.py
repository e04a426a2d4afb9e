#!/usr/bin/env python3
"""Boot lamina in an emulator and talk to its serial console.

Used by scripts/run-qemu (AMD-V: QEMU TCG, or KVM) and scripts/run-bochs
(VT-x: Bochs), and by the boot tests.  A run is a list of steps:
  --expect REGEX   wait until the console output (since the last match)
                   matches REGEX; fail with the last lines on timeout
  --send TEXT      type TEXT on the console (\\r, \\n, \\x1b escapes work)
  --reject REGEX   fail at once if REGEX ever appears
  --matches FILE   append one JSON line per matched --expect (its index,
                   the host time, its named groups) for checks after the run
  --wait SECONDS   let time pass (rejects still apply); fail if the emulator exits
Exit status: 0 when every step passed, 1 on a failed expectation or
timeout, 2 on a usage or setup error.  The whole console output is
written to --log.
"""
import argparse
import codecs
import json
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
    p.add_argument("--iso", help="boot image (scripts/mkiso), booted as a CD")
    p.add_argument("--timeout", type=float, default=60, help="seconds for the whole run")
    p.add_argument("--log", help="write the console output here")
    p.add_argument("--mem", default="512", help="host RAM in MiB for the emulator")
    p.add_argument("--interactive", action="store_true",
                   help="connect the console to this terminal (Ctrl-A X quits QEMU)")
    p.add_argument("--expect", dest="expect", action=Steps, default=None)
    p.add_argument("--send", dest="send", action=Steps, default=None)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--matches", help="append each --expect match as a JSON line here")
    p.add_argument("--wait", dest="wait", action=Steps, default=None,
                   help="let SECONDS pass; fail if the emulator exits meanwhile")
    p.add_argument("--type-delay", type=float, default=0.05,
                   help="seconds between typed bytes: a BIOS keyboard buffer holds 15 keys")
    p.add_argument("--quiet", action="store_true", help="do not echo the console")
    p.add_argument("--serial2", metavar="FILE",
                   help="the machine's second serial port (COM2) into FILE: lamina's "
                        "trace=dump goes there")
    if backend == "qemu":
        p.add_argument("--cpu", default=os.environ.get("QEMU_CPU", ""),
                       help="QEMU -cpu model (default qemu64,+svm,+npt under TCG)")
        p.add_argument("--accel", default=os.environ.get("ACCEL", "auto"),
                       choices=["auto", "tcg", "kvm"])
        p.add_argument("--qemu-arg", action="append", default=[])
        # Lab boot media (docs/lab.md): the same image as a hard disk, under
        # UEFI firmware, or lamina from the network through iPXE.
        p.add_argument("--disk", action="store_true",
                       help="boot --iso as an IDE hard disk (the image is hybrid), not a CD")
        p.add_argument("--uefi", action="store_true",
                       help="UEFI firmware (Debian's ovmf) instead of SeaBIOS")
        p.add_argument("--netboot", metavar="DIR",
                       help="boot iPXE from an e1000 NIC, TFTP from DIR (scripts/mkpxe)")
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
                           f"run 'modprobe -r {mod} && modprobe {mod} nested=1' "
                           f"(to keep it: 'options {mod} nested=1' in "
                           f"/etc/modprobe.d/{mod}.conf)")
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
    # Under KVM the host CPU is passed through (Linux's "Running nested
    # guests with KVM"); VMX/SVM is there when the module's nested=1, and
    # vmx=on/svm=on says so explicitly.
    if accel == "kvm" and not a.cpu:
        cpu = "host,vmx=on" if os.path.exists("/sys/module/kvm_intel") else "host,svm=on"
    else:
        cpu = a.cpu or "qemu64,+svm,+npt"
    return ["qemu-system-x86_64", "-accel", accel, "-cpu", cpu, "-m", a.mem,
            "-display", "none", "-vga", "none", "-no-reboot", "-serial", serial] + (
            ["-serial", "file:" + os.path.abspath(a.serial2)] if a.serial2 else []) + [
            "-monitor", "none"] + qemu_boot_args(a) + a.qemu_arg


OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def qemu_boot_args(a):
    """Where QEMU boots from: the GRUB image as a CD (default) or a hard
    disk, or the network (iPXE in the e1000's option ROM, QEMU's own
    DHCP and TFTP server; restrict=on keeps all traffic in the emulator)."""
    args = []
    if a.uefi:
        # The variable store is written at boot: each run gets its own copy.
        vars_copy = os.path.join(a.workdir, "OVMF_VARS.fd")
        shutil.copyfile(OVMF_VARS, vars_copy)
        args += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                 "-drive", f"if=pflash,format=raw,file={vars_copy}"]
    if a.netboot:
        return args + ["-netdev", f"user,id=n0,restrict=on,tftp={os.path.abspath(a.netboot)},"
                       "bootfile=boot.ipxe", "-device", "e1000,netdev=n0", "-boot", "n"]
    if a.disk:
        # snapshot=on: the firmware and GRUB may write; the image stays as built.
        return args + ["-drive", f"file={a.iso},format=raw,if=ide,snapshot=on", "-boot", "c"]
    return args + ["-cdrom", a.iso, "-boot", "d"]


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
{com2}port_e9_hack: enabled=1
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
                               serial=serial_path, workdir=workdir,
                               com2=f"com2: enabled=1, mode=file, dev={os.path.abspath(a.serial2)}\n"
                               if a.serial2 else ""))
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
    if getattr(a, "netboot", None):
        if not os.path.exists(os.path.join(a.netboot, "boot.ipxe")):
            print(f"run-{backend}: {a.netboot}/boot.ipxe does not exist (scripts/mkpxe)",
                  file=sys.stderr)
            return 2
    elif not a.iso or not os.path.exists(a.iso):
        print(f"run-{backend}: {a.iso or '--iso'} does not exist (make iso)", file=sys.stderr)
        return 2
    if getattr(a, "uefi", False) and not os.path.exists(OVMF_CODE):
        print(f"run-{backend}: {OVMF_CODE} is missing: apt-get install ovmf", file=sys.stderr)
        return 2
    a.workdir = tempfile.mkdtemp(prefix="lamina-" + backend + "-")
    if a.interactive and backend == "qemu":
        cmd = qemu_command(a, "mon:stdio")
        print("run-qemu: " + " ".join(cmd), file=sys.stderr)
        print("run-qemu: Ctrl-A X quits QEMU", file=sys.stderr)
        rc = subprocess.call(cmd)
        shutil.rmtree(a.workdir, ignore_errors=True)
        return rc

    # The console is a pty we own: the emulator gets its slave side.
    master, slave = pty.openpty()
    tty.setraw(slave)
    slave_path = os.ttyname(slave)
    workdir = a.workdir
    drain = None
    if backend == "qemu":
        cmd = qemu_command(a, slave_path)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(workdir, "qemu.err"), "wb"),
                                start_new_session=True)
    else:
        proc, drain = start_bochs(a, slave_path, workdir)

    log = open(a.log, "wb") if a.log else None
    matches = open(a.matches, "a") if a.matches else None
    n_expect = 0        # --expect steps matched so far
    seen = b""          # all output
    pos = 0             # where the next --expect starts looking
    steps = list(a.steps)
    rejects = [re.compile(r.encode()) for r in a.reject]
    deadline = time.time() + a.timeout
    result, why = 0, ""
    wait_until = None   # end of the current --wait step
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
            if steps[0][0] == "wait":
                if wait_until is None:
                    wait_until = time.time() + float(steps[0][1])
                if proc.poll() is not None:
                    result, why = 1, f"{backend} exited ({proc.returncode}) during --wait"
                    break
                if time.time() >= wait_until:
                    wait_until = None
                    steps.pop(0)
                continue
            m = re.compile(steps[0][1].encode(), re.S).search(seen, pos)
            if m:
                pos = m.end()
                steps.pop(0)
                if matches:
                    groups = {k: v.decode("latin-1") for k, v in m.groupdict().items()
                              if v is not None}
                    print(json.dumps({"expect": n_expect, "time": time.time(),
                                      "groups": groups}), file=matches, flush=True)
                n_expect += 1
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
        if matches:
            matches.close()
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
