"""Run the MassCIP modes of seed 000 ("Status and modes") for a POS checkout.

* **Disabled** (status): nothing is sent and nothing is pulled; :meth:`MassCIPIntegration.checkout` returns
  ``not_sent`` without touching the network or the outbox, and pulls raise :class:`IntegrationDisabledError`.
* **Real Time**: the sale is posted before checkout completes; any failure raises
  :class:`~fe_compliance.integration.errors.CheckoutBlockedError` (a typed cause inside) within
  ``real_time_deadline_seconds`` on the injected clock. A sale whose post may have been stored (outcome unknown) is
  remembered; retrying its checkout with the same external receipt number asks the system by that number first
  and posts again only when the system says it is absent. A number already posted or found is answered from
  memory, never posted again. (These memories live as long as the integration object: after a restart, a
  retried checkout must be resolved by looking the number up, as the outbox does.)
* **Batch**: the sale is enqueued in the durable outbox and checkout never waits on the network; the pusher made by
  :meth:`MassCIPIntegration.pusher` sends it (every 15 minutes by default, :func:`run_batch_pushes`).
* **Allotment Only** (Enable Dispensing = No): no sale is ever posted; allotments are pulled only.

Every call picks its key with :func:`~fe_compliance.integration.credentials.masscip_credential_rule`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable

import attrs

from ..limits.pack import RulePack
from ..limits.reporting import BatchReportingWarning, ReportingMode, batch_mode_warning
from ..outbox.credentials import CredentialProvider, UserKey
from ..outbox.errors import NoUsableCredentialError
from ..outbox.pusher import ClientFactory, Pusher, PushReport
from ..outbox.store import Outbox
from ..tracktrace.errors import AuthenticationError, DeadlineExceededError, OutcomeUnknownError, TrackAndTraceError
from ..tracktrace.models import Sale
from ..tracktrace.protocol import FindsReceipts, TrackAndTrace
from ..tracktrace.retry import Clock
from .credentials import masscip_credential_rule
from .errors import CheckoutBlockedError, IntegrationError, SettingsError, UserKeyRejectedError
from .settings import MassCIPSettings

__all__ = ["CheckoutResult", "IntegrationDisabledError", "MassCIPIntegration", "run_batch_pushes"]

_log = logging.getLogger("fe_compliance.integration")


class IntegrationDisabledError(IntegrationError):
    """The integration's status is Disabled: nothing is pulled (seed 000)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the MassCIP integration is Disabled: {what} is not pulled", field="status",
                         value="disabled")


@attrs.frozen(slots=True)
class CheckoutResult:
    """What the integration did with one sale.

    ``outcome``: ``"posted"`` (Real Time, stored now), ``"found"`` (Real Time retry: already stored by an earlier
    attempt), ``"queued"`` (Batch), ``"not_sent"`` (Allotment Only or Disabled). ``key_user_id`` is whose key
    was used (the selling user's or the master's id; never a key).
    """

    external_receipt_number: str
    mode: ReportingMode | None
    outcome: str
    receipt_id: str | None = None
    outbox_item_id: int | None = None
    key_user_id: str | None = None
    reason: str = ""


class MassCIPIntegration:
    """The integration for one facility. ``client_factory`` makes a client per (license, key) (see
    :func:`~fe_compliance.integration.metrc.metrc_factory`); ``credentials`` maps a user id to that user's own
    key or None. ``outbox`` is required in Batch mode. ``rules``/``on``: the state's rule pack, so that choosing
    Batch where real time is required warns at configuration (:class:`BatchReportingWarning`, text in
    :attr:`warnings`)."""

    def __init__(
        self,
        settings: MassCIPSettings,
        client_factory: ClientFactory,
        credentials: CredentialProvider,
        *,
        outbox: Outbox | None = None,
        rules: RulePack | None = None,
        on: dt.date | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        if not isinstance(settings, MassCIPSettings):
            raise SettingsError("settings", type(settings).__name__, "must be MassCIPSettings")
        if settings.mode is ReportingMode.BATCH and not settings.disabled and outbox is None:
            raise SettingsError("outbox", None, "Batch mode needs an outbox to queue sales in")
        self.settings = settings
        self.client_factory = client_factory
        self.credentials = credentials
        self.credential_rule = masscip_credential_rule(settings)
        self.outbox = outbox
        self._clock = clock
        self._clients: dict[tuple[str, str], TrackAndTrace] = {}
        self._unsettled: set[tuple[str, str]] = set()
        self._settled: dict[tuple[str, str], str | None] = {}
        self.warnings: tuple[str, ...] = ()
        if rules is not None and not settings.disabled:
            text = batch_mode_warning(rules, settings.mode, on=on or dt.date.today())
            if text is not None:
                self.warnings = (text,)
                warnings.warn(text, BatchReportingWarning, stacklevel=2)

    def __repr__(self) -> str:
        return f"MassCIPIntegration(status={self.settings.status.value}, mode={self.settings.mode.value})"

    # ------------------------------------------------------------------ clients

    def key_for(self, user_id: str, license_number: str) -> UserKey:
        """The key the credential rule allows for ``user_id`` (raises NoUsableCredentialError)."""
        return self.credential_rule(user_id, license_number, self.credentials)

    def client_for(self, user_id: str, license_number: str) -> tuple[UserKey, TrackAndTrace]:
        """The key and a client acting with it, for pulls (patients, items) as for posts."""
        key = self.key_for(user_id, license_number)
        cache_key = (license_number, key.user_id)
        client = self._clients.get(cache_key)
        if client is None:
            client = self.client_factory(license_number, key)
            self._clients[cache_key] = client
        return key, client

    def close(self) -> None:
        clients, self._clients = self._clients, {}
        for client in clients.values():
            close = getattr(client, "close", None)
            if callable(close):
                close()

    def __enter__(self) -> MassCIPIntegration:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def require_enabled(self, what: str) -> None:
        """Raise :class:`IntegrationDisabledError` when the status is Disabled (used before every pull)."""
        if self.settings.disabled:
            raise IntegrationDisabledError(what)

    # ----------------------------------------------------------------- checkout

    def checkout(self, sale: Sale, *, user_id: str, license_number: str) -> CheckoutResult:
        """Report ``sale`` as the mode in force says. Raises :class:`CheckoutBlockedError` only in Real Time."""
        number = sale.external_receipt_number
        if self.settings.disabled:
            return CheckoutResult(number, None, "not_sent", reason="status Disabled: nothing is sent")
        mode = self.settings.mode
        if mode is ReportingMode.ALLOTMENT_ONLY:
            return CheckoutResult(number, mode, "not_sent", reason="Allotment Only: no transaction is posted")
        if mode is ReportingMode.BATCH:
            assert self.outbox is not None
            item = self.outbox.enqueue_sale(sale, license_number=license_number, user_id=user_id)
            return CheckoutResult(number, mode, "queued", outbox_item_id=item.id,
                                  reason="Batch: queued; the pusher sends it")
        return self._real_time(sale, user_id, license_number)

    def _real_time(self, sale: Sale, user_id: str, license_number: str) -> CheckoutResult:
        number = sale.external_receipt_number
        mode = ReportingMode.REAL_TIME
        deadline = self._clock() + self.settings.real_time_deadline_seconds
        try:
            key, client = self.client_for(user_id, license_number)
        except NoUsableCredentialError as error:
            raise CheckoutBlockedError(number, error) from error
        token = (license_number, number)
        if token in self._settled:
            return CheckoutResult(number, mode, "found", receipt_id=self._settled[token], key_user_id=key.user_id,
                                  reason="already posted by this integration; not posted again")
        try:
            if token in self._unsettled:
                if not isinstance(client, FindsReceipts):
                    raise CheckoutBlockedError(
                        number, error_for_unsettled(), outcome_unknown=True,
                        message=f"checkout of receipt {number!r} blocked: an earlier post may have stored it and "
                        "this system cannot be asked by external receipt number; resolve it by hand",
                    )
                self._check_deadline(number, deadline, "GET")
                found = client.find_receipt(number, sold_at=sale.sold_at)
                if found is not None:
                    self._unsettled.discard(token)
                    self._settled[token] = found.id
                    return CheckoutResult(number, mode, "found", receipt_id=found.id, key_user_id=key.user_id,
                                          reason="stored by an earlier attempt; not posted again")
            self._check_deadline(number, deadline, "POST")
            self._unsettled.add(token)
            try:
                posted = client.post_sale(sale)
            except OutcomeUnknownError:
                raise
            except TrackAndTraceError:
                self._unsettled.discard(token)  # a definite failure: this attempt stored nothing
                raise
            self._unsettled.discard(token)
            self._settled[token] = posted.receipt_id
            return CheckoutResult(number, mode, "posted", receipt_id=posted.receipt_id, key_user_id=key.user_id)
        except AuthenticationError as error:
            if key.user_id == user_id:
                raise UserKeyRejectedError(number, user_id, error) from error
            raise CheckoutBlockedError(number, error) from error
        except OutcomeUnknownError as error:
            raise CheckoutBlockedError(number, error, outcome_unknown=True) from error
        except TrackAndTraceError as error:
            raise CheckoutBlockedError(number, error, outcome_unknown=token in self._unsettled) from error

    def _check_deadline(self, number: str, deadline: float, method: str) -> None:
        if self._clock() >= deadline:
            raise DeadlineExceededError(
                method, "(not sent)", reached_server=False,
                reason=f"the Real Time deadline of {self.settings.real_time_deadline_seconds} s has passed",
            )

    # -------------------------------------------------------------------- batch

    def pusher(self, **options: object) -> Pusher:
        """A pusher for this integration's outbox that applies the MassCIP credential rule at push time."""
        if self.outbox is None:
            raise SettingsError("outbox", None, "no outbox was given")
        return Pusher(self.outbox, self.client_factory, self.credentials, credential_rule=self.credential_rule,
                      **options)  # type: ignore[arg-type]


def error_for_unsettled() -> TrackAndTraceError:
    return TrackAndTraceError("POST", "(not sent)", reason="earlier outcome unknown")


def run_batch_pushes(
    integration: MassCIPIntegration,
    pusher: Pusher,
    *,
    stop: Callable[[], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> list[PushReport]:
    """Push, then wait ``push_interval_seconds`` (15 minutes by default), until ``stop()``; the reports in order.

    Nothing is pushed while the status is Disabled or the mode is not Batch. A failed item stays queued and is
    tried again at every later push (seed 000: "tried again with every subsequent push until the error is
    resolved").
    """
    reports: list[PushReport] = []
    while not stop():
        if not integration.settings.disabled and integration.settings.mode is ReportingMode.BATCH:
            report = pusher.push(stop=stop)
            reports.append(report)
            if report.failed_ids or report.unknown_ids:
                _log.warning("MassCIP batch push: items %s failed and %s are of unknown outcome; they are tried "
                             "again at the next push", sorted(report.failed_ids), sorted(report.unknown_ids))
        if stop():
            break
        sleep(integration.settings.push_interval_seconds)
    return reports
