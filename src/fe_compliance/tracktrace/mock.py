"""A transport that calls your function instead of the network, for unit tests.

Give :class:`MockTransport` a handler that takes an :class:`~fe_compliance.tracktrace.transport.HttpRequest` and
returns an :class:`~fe_compliance.tracktrace.transport.HttpResponse` (or raises
:class:`~fe_compliance.tracktrace.errors.SendError` to play a network failure), and pass it as ``transport=`` to an
adapter (the shape of httpx's ``MockTransport``)::

    from fe_compliance.tracktrace import HttpResponse, MockTransport, MetrcClient, MetrcCredentials

    def handler(request):
        assert request.method == "POST"
        return HttpResponse(200, {}, b'{"Ids":[7],"Warnings":null}')

    client = MetrcClient(credentials, license_number="...", base_url="https://api-ma.metrc.com",
                         transport=MockTransport(handler))

Every request is kept in ``requests`` (in order) so a test can inspect what was sent. For tests over real
sockets use the fake server in ``fe_compliance.testing.fake_metrc`` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from .transport import HttpRequest, HttpResponse, Timeouts

__all__ = ["MockTransport"]


class MockTransport:
    """An :class:`~fe_compliance.tracktrace.transport.HttpTransport` answering through ``handler``."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []
        self.closed = False

    def __repr__(self) -> str:
        return (
            f"MockTransport(handler={getattr(self.handler, '__name__', type(self.handler).__name__)}, "
            f"requests={len(self.requests)})"
        )

    def handle_request(self, request: HttpRequest, timeouts: Timeouts) -> HttpResponse:
        """Record the request and return what the handler returns (or let its SendError through)."""
        self.requests.append(request)
        return self.handler(request)

    def close(self) -> None:
        """Nothing to release; remembered so a test can check the adapter closed its transport."""
        self.closed = True
