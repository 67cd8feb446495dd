"""Starts and stops real `locus serve` processes for the driver and HTTP tests.

The binary comes from $LOCUS_BINARY (the Swift test runner sets it). Each server listens on
127.0.0.1 with a port the system chooses, which it prints on stderr when it is ready.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

BINARY = os.environ.get("LOCUS_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "locus"))
ROOT_PASSWORD = "locus-test-root"


class Server:
    """One `locus serve` process."""

    def __init__(self, args, env=None, password=ROOT_PASSWORD):
        self.data = tempfile.mkdtemp(prefix="locus-serve-")
        environment = dict(os.environ)
        if password is not None:
            environment["LOCUS_ROOT_PASSWORD"] = password
        environment.update(env or {})
        argv = [BINARY, "serve", "--listen", "127.0.0.1:0"] + [a.replace("{data}", self.data) for a in args]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
        self.url = None
        self.stderr = b""
        deadline = time.time() + 30
        while time.time() < deadline and self.url is None:
            ready, _, _ = select.select([self.process.stderr], [], [], 0.2)
            if ready:
                line = self.process.stderr.readline()
                if not line:
                    break
                self.stderr += line
                text = line.decode()
                if "listening on " in text:
                    self.url = text.split("listening on ")[1].split(",")[0].strip()
            elif self.process.poll() is not None:
                break
        if self.url is None:
            self.process.kill()
            raise RuntimeError("locus serve did not start: " + self.stderr.decode())

    @property
    def port(self):
        return int(self.url.rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


def local_fabric(pops="fra,iad"):
    """A local fabric of the trio fixture with these PoPs: its name and directory."""
    fabric = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "fabrics", "trio.json")
    directory = os.path.join(tempfile.mkdtemp(), "fab")
    subprocess.run([BINARY, "fabric", "init", "--fabric", fabric, "--dir", directory, "--pops", pops], check=True, capture_output=True)
    return json.load(open(fabric))["name"], directory


@pytest.fixture(scope="session", autouse=True)
def scratch_directory():
    """Every temporary directory the tests make (servers' data, fabrics) goes inside one of
    this session's, removed with all of it when the session ends: nothing is left in /tmp."""
    scratch = tempfile.mkdtemp(prefix="locus-drivers-")
    previous = tempfile.tempdir
    tempfile.tempdir = scratch
    yield scratch
    tempfile.tempdir = previous
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    s = Server(["--data", "{data}"])
    yield s
    assert s.stop() == 0


@pytest.fixture
def start_server():
    started = []

    def start(args, **kw):
        s = Server(args, **kw)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()
