"""A small SMTP server for the tests (Python 3 stdlib only; Debian 12's python has no aiosmtpd and
smtpd cannot do STARTTLS): EHLO, STARTTLS with a throwaway self-signed certificate (made with the
openssl command), MAIL/RCPT/DATA, QUIT. Every message received is kept with whether it came
over TLS."""

import email
import email.policy
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
from pathlib import Path


class SmtpSink:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="essaim-smtp-"))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-keyout", str(self.dir / "key.pem"),
                        "-out", str(self.dir / "cert.pem")], check=True, capture_output=True)
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(self.dir / "cert.pem", self.dir / "key.pem")
        self.messages: list = []  # (mail_from, rcpts, email.message.EmailMessage, over_tls)
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                conn = self.connection
                f = conn.makefile("rb")
                tls = False

                def send(line):
                    conn.sendall((line + "\r\n").encode())

                send("220 essaim-test ESMTP")
                mail_from, rcpts = None, []
                while True:
                    line = f.readline()
                    if not line:
                        return
                    cmd = line.decode("utf-8", "replace").strip()
                    up = cmd.upper()
                    if up.startswith(("EHLO", "HELO")):
                        conn.sendall(b"250-essaim-test\r\n" + (b"" if tls else b"250-STARTTLS\r\n")
                                     + b"250 8BITMIME\r\n")
                    elif up == "STARTTLS":
                        send("220 Allons-y")
                        conn = sink.tls.wrap_socket(conn, server_side=True)
                        f = conn.makefile("rb")
                        tls = True
                    elif up.startswith("MAIL FROM:"):
                        mail_from, rcpts = cmd[10:].strip(), []
                        send("250 OK")
                    elif up.startswith("RCPT TO:"):
                        rcpts.append(cmd[8:].strip())
                        send("250 OK")
                    elif up == "DATA":
                        send("354 Fin par <CRLF>.<CRLF>")
                        data = b""
                        while True:
                            l = f.readline()
                            if not l or l in (b".\r\n", b".\n"):
                                break
                            data += l[1:] if l.startswith(b"..") else l
                        msg = email.message_from_bytes(data, policy=email.policy.default)
                        sink.messages.append((mail_from, rcpts, msg, tls))
                        send("250 Reçu")
                    elif up == "QUIT":
                        send("221 Au revoir")
                        return
                    elif up in ("RSET", "NOOP"):
                        send("250 OK")
                    else:
                        send("502 Commande inconnue")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
