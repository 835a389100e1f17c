"""Suite-wide test settings.

Hypothesis profiles: ``default`` keeps the normal run short (the whole suite stays under five minutes on two
cores); ``thorough`` is for slow fuzzing on demand: ``HYPOTHESIS_PROFILE=thorough pytest``.

The FE fuzz suite (``tests/test_fe_fuzz.py``) has its own pair: ``fe_fuzz_short`` in the normal run and
``fe_fuzz_long`` (thousands of inputs per entry point, with a hang watchdog) selected by ``FE_FUZZ=long``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
settings.register_profile("fe_fuzz_short", max_examples=30, deadline=None, suppress_health_check=_FUZZ_CHECKS)
settings.register_profile("fe_fuzz_long", max_examples=5_000, deadline=None, suppress_health_check=_FUZZ_CHECKS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
