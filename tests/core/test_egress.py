"""The egress guard: which addresses it refuses (property tests over whole ranges), how it
reads hosts however they are spelt, and real requests to servers on 127.0.0.1 (allowed
on purpose) for pinning, redirects, size, time and TLS checked against the name."""

import ipaddress
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem import config
from tandem.core import egress
from tests.conftest import PUBLIC_ADDRESS

# Every address in these must be refused, whatever the allow-list does not say.
FORBIDDEN = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
    "2001:db8::/32",
    "2001::/23",
    "100::/64",
]
PUBLIC = ["8.0.0.0/8", "93.184.0.0/16", "151.101.0.0/16", "2600::/12", "2a00::/12"]


def addresses_in(networks):
    def pick(network, offset):
        net = ipaddress.ip_network(network)
        return net[offset % net.num_addresses]

    return st.builds(pick, st.sampled_from(networks), st.integers(min_value=0))


@given(addresses_in(FORBIDDEN))
def test_no_address_of_a_forbidden_range_is_reachable(ip):
    assert egress.refusal(ip) is not None


@given(addresses_in([n for n in FORBIDDEN if ":" not in n]))
def test_nor_is_it_through_ipv6_that_carries_it(ip):
    v4 = int(ip)
    for carrier in (
        (0xFFFF << 32) | v4,  # ::ffff:a.b.c.d, IPv4-mapped
        v4,  # ::a.b.c.d, IPv4-compatible
        (0x2002 << 112) | (v4 << 80),  # 6to4
        (0x64FF9B << 96) | v4,  # NAT64
    ):
        assert egress.refusal(ipaddress.IPv6Address(carrier)) is not None, carrier


@given(addresses_in(PUBLIC))
def test_public_addresses_are_reachable(ip):
    assert egress.refusal(ip) is None


@given(st.integers(min_value=0, max_value=2**32 - 1), st.data())
def test_an_ipv4_address_reads_the_same_however_it_is_spelt(value, data):
    ip = ipaddress.IPv4Address(value)
    spelt = [data.draw(st.sampled_from([str(b), f"0{b:o}", f"0x{b:x}"])) for b in ip.packed]
    assert egress.parse_host(".".join(spelt)) == ip
    assert egress.parse_host(str(value)) == ip
    assert egress.parse_host(f"{ip.packed[0]}.{value & 0xFFFFFF}") == ip


@pytest.mark.parametrize(
    ("url", "category"),
    [
        ("http://127.0.0.1:9/", "refused: loopback address"),
        ("http://localhost/", "refused: loopback address"),
        ("http://[::1]/", "refused: loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "refused: cloud metadata address"),
        ("http://[fd00:ec2::254]/", "refused: cloud metadata address"),
        ("http://100.100.100.200/", "refused: cloud metadata address"),
        ("http://10.0.0.1/", "refused: private address"),
        ("http://172.16.0.1/", "refused: private address"),
        ("http://192.168.1.1/", "refused: private address"),
        ("http://100.64.0.1/", "refused: private address"),
        ("http://[fd12::1]/", "refused: private address"),
        ("http://[::ffff:127.0.0.1]/", "refused: loopback address"),
        ("http://[::ffff:7f00:1]/", "refused: loopback address"),
        ("http://[2002:a9fe:a9fe::]/", "refused: cloud metadata address"),
        ("http://[fe80::1%25eth0]/", "refused: link-local address"),
        ("http://2130706433/", "refused: loopback address"),
        ("http://0177.0.0.1/", "refused: loopback address"),
        ("http://0x7f.1/", "refused: loopback address"),
        ("http://127.1/", "refused: loopback address"),
        ("http://0/", "refused: unspecified address"),
        ("http://[::]/", "refused: unspecified address"),
        ("http://224.0.0.251/", "refused: multicast address"),
        ("http://255.255.255.255/", "refused: reserved address"),
        ("https://intranet.test/", "refused: loopback address"),
        ("https://mixed.test/", "refused: private address"),
        ("https://nowhere.test/", "refused: could not resolve host"),
        ("ftp://files.example/", "refused: not http or https"),
        ("file:///etc/passwd", "refused: not http or https"),
        ("http://user:secret@hooks.example/", "refused: credentials in the URL"),
        ("http://hooks.example:0/", "refused: not a valid URL"),
        ("http://hooks.example:99999/", "refused: not a valid URL"),
        ("http://1.2.3.0x100/", "refused: not a valid URL"),
        ("http://example.0x7f/", "refused: not a valid URL"),
        ("http:///path", "refused: not a valid URL"),
    ],
)
def test_check_refuses_with_a_category(dns, url, category):
    dns["intranet.test"] = ["127.0.0.1"]
    dns["mixed.test"] = [PUBLIC_ADDRESS, "10.1.2.3"]  # one bad address is enough
    with pytest.raises(egress.EgressRefused) as refused:
        egress.check(url)
    assert refused.value.category == category


def test_check_accepts_a_public_name_and_keeps_the_name(dns):
    target = egress.check("https://Hooks.Example./services/T0/B0?x=1#frag")
    assert (target.host, target.port, target.path) == ("hooks.example", 443, "/services/T0/B0?x=1")
    assert target.addresses == (ipaddress.ip_address(PUBLIC_ADDRESS),)


def test_the_allow_list_lets_named_hosts_and_networks_through(dns, allow_egress):
    dns["hooks.internal"] = ["10.20.0.5"]
    dns["other.internal"] = ["10.20.0.6"]
    allow_egress("hooks.internal", "192.168.7.0/24")
    assert egress.check("http://hooks.internal/").addresses == (ipaddress.ip_address("10.20.0.5"),)
    assert egress.check("http://192.168.7.9/")
    assert egress.check("http://[::ffff:192.168.7.9]/")
    for url in ("http://other.internal/", "http://192.168.8.1/", "http://127.0.0.1/"):
        with pytest.raises(egress.EgressRefused):
            egress.check(url)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10.0.0.1/8", "TANDEM_EGRESS_ALLOW: '10.0.0.1/8' is not a network"),
        ("hooks internal", "TANDEM_EGRESS_ALLOW: 'hooks internal' is neither a host name"),
        ("*", "TANDEM_EGRESS_ALLOW: '*' is neither a host name"),
        ("999.1.1.1", "TANDEM_EGRESS_ALLOW: '999.1.1.1' is not a network"),
    ],
)
def test_a_malformed_allow_list_fails_loudly(value, message):
    with pytest.raises(config.ConfigError) as error:
        config.env_egress_allow("TANDEM_EGRESS_ALLOW", {"TANDEM_EGRESS_ALLOW": value})
    assert str(error.value).startswith(message)


# ---------------------------------------------------------------- real requests


class Server:
    """An HTTP(S) server on 127.0.0.1 answering every request with `answer(handler)`."""

    def __init__(self, answer, tls=None):
        self.requests = []
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server.requests.append(dict(self.headers))
                answer(self, server)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(allow_egress):
    allow_egress("127.0.0.1")
    made = []

    def make(answer, tls=None):
        made.append(Server(answer, tls))
        return made[-1]

    yield make
    for server in made:
        server.close()


def reply(status=200, body=b"ok", headers=(), length=True):
    def answer(handler, server):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def test_a_request_reaches_an_allowed_local_server(serve):
    server = serve(reply(201, b'{"ok": true}', [("X-Answer", "yes")]))
    response = egress.request(
        "POST", f"http://127.0.0.1:{server.port}/in", body=b"{}", headers={"X-Test": "1"}
    )
    assert (response.status, response.body, response.problem) == (201, b'{"ok": true}', "")
    assert response.headers["x-answer"] == "yes"
    assert server.requests[0]["X-Test"] == "1"


def test_a_redirect_is_an_outcome_not_followed(serve):
    inside = serve(reply())
    server = serve(reply(302, headers=[("Location", f"http://127.0.0.1:{inside.port}/")]))
    response = egress.request("GET", f"http://127.0.0.1:{server.port}/")
    assert response.problem == "HTTP 302 (redirects are not followed)"
    assert inside.requests == []


def test_a_large_answer_is_cut(serve):
    declared = serve(reply(body=b"x" * 5000))
    undeclared = serve(reply(body=b"x" * 5000, length=False))  # read until the server closes
    for server in (declared, undeclared):
        with pytest.raises(egress.EgressError) as error:
            egress.request("GET", f"http://127.0.0.1:{server.port}/", max_bytes=4096)
        assert error.value.category == "response too large"
    assert egress.request("GET", f"http://127.0.0.1:{declared.port}/", max_bytes=5000).body


def trickle(handler, server):
    # Each byte comes well within any read timeout; only the total deadline can end it.
    handler.send_response(200)
    handler.send_header("Connection", "close")
    handler.end_headers()
    while not server.released.wait(0.05):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return


def test_the_whole_exchange_has_a_deadline(serve):
    server = serve(trickle)
    with pytest.raises(egress.EgressError) as error:
        egress.request("GET", f"http://127.0.0.1:{server.port}/", timeout=0.5)
    assert error.value.category == "timeout"


def test_a_closed_port_is_connection_refused_without_the_port(allow_egress):
    allow_egress("127.0.0.1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(egress.EgressError) as error:
        egress.request("GET", f"http://127.0.0.1:{port}/")
    assert error.value.category == "connection refused"
    assert str(port) not in str(error.value)


def test_the_checked_address_is_the_one_connected_to(serve, dns, monkeypatch):
    # DNS rebinding: a second lookup would answer 127.0.0.2, which is not allowed.
    server = serve(reply())
    answers = [["127.0.0.1"], ["127.0.0.2"]]
    lookups = []

    def rebinding(host, port):
        lookups.append(host)
        return [ipaddress.ip_address(a) for a in answers[len(lookups) - 1]]

    monkeypatch.setattr(egress, "resolve", rebinding)
    response = egress.request("GET", f"http://rebind.test:{server.port}/")
    assert response.status == 200 and lookups == ["rebind.test"]
    assert server.requests[0]["Host"] == f"rebind.test:{server.port}"

    with pytest.raises(egress.EgressRefused) as refused:  # the next request looks up again
        egress.request("GET", f"http://rebind.test:{server.port}/")
    assert refused.value.category == "refused: loopback address"


def test_a_connection_that_lands_elsewhere_is_dropped(serve, monkeypatch):
    # Should anything between the guard and the network divert the connection, the peer
    # check refuses before a byte of the request is sent.
    server = serve(reply())
    real_connect = egress.connect
    monkeypatch.setattr(
        egress,
        "connect",
        lambda address, port, timeout: real_connect(
            ipaddress.ip_address("127.0.0.1"), server.port, timeout
        ),
    )
    with pytest.raises(egress.EgressRefused) as refused:
        egress.request("GET", f"http://hooks.example:{server.port}/")
    assert refused.value.category == "refused: connected to another address than checked"
    assert server.requests == []


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A CA of our own and a certificate it signed for receiver.test, made with openssl."""
    d = tmp_path_factory.mktemp("tls")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    openssl(
        *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test CA"),
        *("-keyout", "ca.key", "-out", "ca.pem"),
    )
    openssl(
        *("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=receiver.test"),
        *("-keyout", "server.key", "-out", "server.csr"),
    )
    (d / "san.ext").write_text("subjectAltName=DNS:receiver.test\n")
    openssl(
        *("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem"),
    )
    return d


def test_tls_is_verified_for_the_name_not_the_address(serve, dns, certificates, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    names = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = serve(reply(body=b"secure"), tls=context)
    dns["receiver.test"] = ["127.0.0.1"]
    dns["impostor.test"] = ["127.0.0.1"]

    response = egress.request("GET", f"https://receiver.test:{server.port}/")
    assert response.body == b"secure" and names == ["receiver.test"]

    with pytest.raises(egress.EgressError) as error:  # same address, a name it cannot prove
        egress.request("GET", f"https://impostor.test:{server.port}/")
    assert error.value.category == "TLS certificate not valid for the host"
