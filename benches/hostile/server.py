#!/usr/bin/env python3
"""A misbehaving stand-in for the Pwned Passwords range API, for benches/hostile/run.sh.

    server.py MODE PORT [OTHER_PORT]

MODE is one of
  hang      accept every connection, read the request, never answer
  flood     answer 200 with an endless body of valid-looking range lines (stops at 1 GiB)
  redirect  answer 302 to the same path on 127.0.0.1:OTHER_PORT (another origin)
  loop      answer 302 to the same URL, forever
  found     answer every range with every suffix found 1,000,000 times (the "other origin")
Listens on 127.0.0.1 only and prints one line per request to stderr.
"""
import socket
import sys
import threading

mode, port = sys.argv[1], int(sys.argv[2])
other = int(sys.argv[3]) if len(sys.argv) > 3 else 0


def request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


def serve(conn):
    try:
        line = request(conn)
        if line is None:
            return
        print(f"{mode}: {line}", file=sys.stderr, flush=True)
        path = line.split(" ")[1]
        if mode == "hang":
            threading.Event().wait()
        elif mode == "flood":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
            row = b"".join(b"%035X:1\r\n" % i for i in range(4096))
            sent = 0
            while sent < 1 << 30:
                conn.sendall(row)
                sent += len(row)
        elif mode in ("redirect", "loop"):
            target = f"http://127.0.0.1:{other}{path}" if mode == "redirect" else path
            conn.sendall(
                f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
            )
        elif mode == "found":
            body = b"".join(b"%035X:1000000\r\n" % i for i in range(800))
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            )
    except OSError:
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
