"""The X-Auth-Token scheme: fixed vectors, both-way compatibility with the official
client, and every way a token must be refused."""

from __future__ import annotations

import base64
import time

import pytest
from sendbee_api import SendbeeAuth as OfficialAuth

from sendbee_tui.api import SendbeeAuth

SECRET = "sandbox-secret"
TS = 1_700_000_000
# base64("1700000000." + hex HMAC-SHA256("1700000000", key="sandbox-secret")),
# computed once by hand with hmac/hashlib and pinned here.
EXPECTED = (
    "MTcwMDAwMDAwMC5lNjVjMTQ2MmFhMGVmYTMxYTFkYjhjZmYyZGQ5MDQyM2Y3OWFjZDg5NzM2YjNi"
    "Yzg3MzZiM2E1ZWRiN2FmMWEw"
)
EXPECTED_HEX = "e65c1462aa0efa31a1db8cff2dd90423f79acd89736b3bc8736b3a5edb7af1a0"


def test_fixed_vector_gives_exact_token() -> None:
    token = SendbeeAuth(SECRET).token(TS)
    assert token == EXPECTED
    assert base64.b64decode(token).decode() == f"{TS}.{EXPECTED_HEX}"


def test_float_timestamp_is_truncated_to_whole_seconds() -> None:
    assert SendbeeAuth(SECRET).token(TS + 0.999) == EXPECTED


def test_bytes_secret_equals_str_secret() -> None:
    assert SendbeeAuth(SECRET.encode()).token(TS) == EXPECTED


def test_default_timestamp_is_now() -> None:
    before = int(time.time())
    ts = int(base64.b64decode(SendbeeAuth(SECRET).token()).split(b".")[0])
    assert before <= ts <= int(time.time())


def test_our_token_is_accepted_by_the_official_algorithm() -> None:
    assert OfficialAuth(SECRET).check_auth_token(SendbeeAuth(SECRET).token()) is True
    assert OfficialAuth("other").check_auth_token(SendbeeAuth(SECRET).token()) is False


def test_official_token_is_accepted_by_ours() -> None:
    official = OfficialAuth(SECRET).get_auth_token()
    assert SendbeeAuth(SECRET).verify(official) is True
    assert SendbeeAuth("other-secret").verify(official) is False


def test_verify_accepts_fresh_token_and_bytes() -> None:
    auth = SendbeeAuth(SECRET)
    assert auth.verify(EXPECTED, now=TS)
    assert auth.verify(EXPECTED.encode(), now=TS + 899)
    assert auth.verify(EXPECTED, now=TS - 899)


@pytest.mark.parametrize("offset", [901, 3600, 10**6])
def test_verify_rejects_stale_tokens(offset: int) -> None:
    assert SendbeeAuth(SECRET).verify(EXPECTED, now=TS + offset) is False


@pytest.mark.parametrize("offset", [901, 86_400])
def test_verify_rejects_far_future_tokens(offset: int) -> None:
    # now is earlier than the token's timestamp: a token "from the future".
    assert SendbeeAuth(SECRET).verify(EXPECTED, now=TS - offset) is False


def test_verify_honours_max_age() -> None:
    auth = SendbeeAuth(SECRET)
    assert auth.verify(EXPECTED, max_age=60, now=TS + 60)
    assert not auth.verify(EXPECTED, max_age=60, now=TS + 61)


NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("max_age", "now"),
    [
        (NAN, TS + 10**6),
        (INF, TS + 10**6),
        (-INF, TS),
        (NAN, TS),
        (900, NAN),
        (900, INF),
        (900, -INF),
        (-1, TS),
        ("900", TS),
        (None, TS),
        (900, "now"),
    ],
)
def test_verify_refuses_when_the_window_or_clock_is_not_a_finite_number(
    max_age: object, now: object
) -> None:
    # nan compares false with everything, so "age > max_age" never held and a token a
    # million seconds old was accepted; inf accepts any age. Both must refuse, not raise.
    auth = SendbeeAuth(SECRET)
    assert auth.verify(EXPECTED, max_age=max_age, now=now) is False  # type: ignore[arg-type]


def test_verify_accepts_a_float_window_and_clock() -> None:
    assert SendbeeAuth(SECRET).verify(EXPECTED, max_age=0.5, now=TS + 0.5)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_verify_rejects_tampered_tokens() -> None:
    auth = SendbeeAuth(SECRET)
    flipped = EXPECTED_HEX[:-1] + ("0" if EXPECTED_HEX[-1] != "0" else "1")
    assert not auth.verify(_b64(f"{TS}.{flipped}"), now=TS)
    # Same signature, different timestamp.
    assert not auth.verify(_b64(f"{TS + 1}.{EXPECTED_HEX}"), now=TS)
    # Upper-case hex is not what the contract produces.
    assert not auth.verify(_b64(f"{TS}.{EXPECTED_HEX.upper()}"), now=TS)
    # Signed with another secret.
    assert not SendbeeAuth("sandbox-secreT").verify(EXPECTED, now=TS)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64 at all!!",
        "====",
        _b64("no-dot-here"),
        _b64(f"{TS}"),
        _b64(f"{TS}.{EXPECTED_HEX}.extra"),
        _b64(f"abc.{EXPECTED_HEX}"),
        _b64(f"-{TS}.{EXPECTED_HEX}"),
        _b64(f" {TS}.{EXPECTED_HEX}"),
        _b64(f"{TS}.short"),
        _b64("٣٤٥.abc"),  # non-ASCII digits must not pass isdigit()-style checks
        _b64("9" * 40 + "." + EXPECTED_HEX),
        "é" + EXPECTED,
        EXPECTED[:-3],
        None,
        12345,
        ["list"],
        b"\xff\xfe",
        base64.b64encode(b"\xff\xfe.\x00").decode(),
    ],
)
def test_verify_returns_false_on_garbage(token: object) -> None:
    assert SendbeeAuth(SECRET).verify(token, now=TS) is False


def test_secret_never_in_repr_or_str() -> None:
    auth = SendbeeAuth(SECRET)
    assert SECRET not in repr(auth)
    assert SECRET not in str(auth)
    assert not hasattr(auth, "__dict__")


def test_constant_time_compare_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert SendbeeAuth(SECRET).verify(EXPECTED, now=TS)
    assert calls == [(EXPECTED_HEX, EXPECTED_HEX)]
