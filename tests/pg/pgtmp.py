"""pgtmp.py - a throw-away PostgreSQL server for Python tests (e2e).

    from pgtmp import PgTmp
    with PgTmp() as pg:
        url = pg.url          # postgresql://gazette@127.0.0.1:PORT/gazette
        pg.restart()          # stop and start again on the same port
        pg.down(); pg.up()    # the same in two steps: an outage in between

A thin wrapper over pgtmp.sh next to this file, which does the work (temporary
folder, unprivileged user, loopback port, removal afterwards).
"""
import os
import subprocess

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pgtmp.sh")


class PgTmp:
    def __init__(self):
        self.dir = None
        self.url = None

    def start(self):
        out = subprocess.run([SCRIPT, "start"], check=True, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition("=")
            if key == "PGTMP_DIR":
                self.dir = value
            elif key == "GAZETTE_TEST_PG":
                self.url = value
        if not self.dir or not self.url:
            raise RuntimeError("pgtmp.sh start printed no server: %r" % out)
        return self

    def restart(self):
        subprocess.run([SCRIPT, "restart", self.dir], check=True)

    def down(self):
        subprocess.run([SCRIPT, "down", self.dir], check=True)

    def up(self):
        subprocess.run([SCRIPT, "up", self.dir], check=True)

    def stop(self):
        if self.dir:
            subprocess.run([SCRIPT, "stop", self.dir], check=False)
            self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
