import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from tandem.accounts.services import api_token_create
from tests import factories
from tests.api.conftest import Api

V1 = "/api/v1/workspaces/acme-test"


class Feed:
    """A local HTTP server answering GET with whatever the test sets."""

    def __init__(self):
        self.status = 200
        self.body = b"{}"
        self.content_type = "application/json"
        self.requests = 0
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                feed.requests += 1
                self.send_response(feed.status)
                self.send_header("Content-Type", feed.content_type)
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/metrics"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    server = Feed()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def key_result(owner):
    cycle = factories.make_cycle(owner, name="Q4 2026")
    objective = factories.make_objective(owner, cycle=cycle, title="Teams love Tandem")
    return factories.make_key_result(
        owner, objective=objective, title="Weekly active teams", target_value=200
    )


@pytest.fixture
def api(editor):
    _, raw = api_token_create(user=editor.user, name="script")
    return Api(raw)
