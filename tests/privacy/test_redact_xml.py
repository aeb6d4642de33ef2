"""Redaction of raw PNRGOV XML: the same removals as ``minimise``, cut out of the bytes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu.domain.booking import PnrPush
from piu.errors import FormatError, MessageStructureError, UnknownMessageType
from piu.formats import pnrgov_xml
from piu.privacy import DEFAULT_RULES, SensitiveRules, minimise, redact_raw_xml

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "pnrgov-xml"
SAMPLE = CORPUS / "test_pnr.xml"
needs_corpus = pytest.mark.skipif(not SAMPLE.is_file(), reason="corpus not available")

# Sensitive data planted at every place the reader maps to something minimise removes:
# SSRs under PNR, Passenger and Flight (by code and by free text), a PNR OSI and Remark,
# a card holder name (attribute form); next to data that look alike but must stay: a DOCS
# whose surname is a keyword, a structured DOC_SSR, CTCE, FQTV, a neutral remark and card
# holder (element form), a comment and an element on a shared line.
PLANTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- carrier batch 0001 -->
<ns:IATA_PNRGOV_NotifRQ xmlns:ns="http://www.iata.org/IATA/2007/00" Version="13.1"
    TimeStamp="2025-06-30T22:00:00Z" EchoToken="MSG0002">
  <ns:Originator AirlineCode="KL" SystemCode="1A"/>
  <ns:FlightLeg CarrierCode="KL" FlightNumber="0641">
    <ns:DepartureAirport LocationCode="AMS"/>
    <ns:ArrivalAirport LocationCode="JFK"/>
    <ns:DepartureDateTime>2025-07-01T10:00:00</ns:DepartureDateTime>
    <ns:ArrivalDateTime>2025-07-01T12:30:00</ns:ArrivalDateTime>
  </ns:FlightLeg>
  <ns:PNRs NumberOfPNRs="2">
    <ns:PNR NumberOfPassengers="2" PNR_CreationDate="2025-05-01T09:15:00"
        PNR_TransDate="2025-06-30T21:00:00">
      <ns:BookingRefID ID="ABC123"><ns:CompanyName Code="KL"/></ns:BookingRefID>
      <ns:SSR SSRCode="WCHR" Status="HK"><ns:Airline Code="KL"/></ns:SSR>
      <ns:SSR SSRCode="OTHS" Status="HK"><ns:Text>GROUP OF STUDENTS</ns:Text></ns:SSR>
      <ns:OtherServiceInfo><ns:Airline Code="KL"/>
        <ns:Text>MUSLIM MEAL</ns:Text></ns:OtherServiceInfo>
      <ns:Remark>PAX TRAVELS WITH CRUTCHES</ns:Remark>
      <ns:Remark>CALL BEFORE DEPARTURE</ns:Remark>
      <ns:Passenger RPH="1" SurnameRefNumber="1" PassengerTypeCode="ADT">
        <ns:GivenName>OMAR</ns:GivenName>
        <ns:Surname>ISLAM</ns:Surname>
        <ns:CustLoyalty ProgramID="KL" MembershipID="1234567890" LoyalLevel="GOLD"/>
        <ns:SSR SSRCode="CTCE" Status="HK"><ns:Text>O.ISLAM//MAIL./EXAMPLE.NL</ns:Text></ns:SSR>
        <ns:SSR SSRCode="MOML" Status="HK"><ns:Airline Code="KL"/></ns:SSR>
        <ns:SSR SSRCode="DOCS" Status="HK">
          <ns:Text>/P/NLD/NX1234567/NLD/12APR80/M/31JAN30/ISLAM/OMAR</ns:Text></ns:SSR>
        <ns:SSR SSRCode="OTHS" Status="HK"><ns:Text>PAX NEEDS WCHR AT GATE</ns:Text></ns:SSR>
        <ns:DOC_SSR SSRCode="DOCA" Status="HK" RPH="1">
          <ns:DOCA AddressType="D" Country="USA" Address="1 CHURCH ST" CityName="NEW YORK"/>
        </ns:DOC_SSR>
        <ns:TicketDocument TicketDocumentNbr="0742123456789" Type="T">
          <ns:TotalFare Amount="812.40" CurrencyCode="EUR"/>
          <ns:PaymentInfo PaymentType="CC" PaymentAmount="812.40">
            <ns:PaymentCard CardType="VI" CardHolderName="HAJJ PILGRIM TOURS"
                CardNumber="4111111111111111"/>
          </ns:PaymentInfo>
        </ns:TicketDocument>
      </ns:Passenger>
      <ns:Passenger RPH="2">
        <ns:GivenName>AYSHA</ns:GivenName><ns:Surname>ISLAM</ns:Surname>
        <ns:SSR SSRCode="KSML" Status="HK"/><ns:SSR SSRCode="CHML" Status="HK"/>
        <ns:TicketDocument TicketDocumentNbr="0742123456790" Type="T">
          <ns:PaymentInfo PaymentType="CC">
            <ns:PaymentCard CardType="VI" CardNumber="4111111111111111">
              <ns:CardHolderName>AYSHA KHAN</ns:CardHolderName>
            </ns:PaymentCard>
          </ns:PaymentInfo>
        </ns:TicketDocument>
      </ns:Passenger>
      <ns:Flight DepartureDateTime="2025-07-01T10:00:00" ArrivalDateTime="2025-07-01T12:30:00"
          FlightNumber="0641" ResBookDesigCode="Y" Status="HK" NumberInParty="2">
        <ns:DepartureAirport LocationCode="AMS"/>
        <ns:ArrivalAirport LocationCode="JFK"/>
        <ns:MarketingAirline Code="KL"/>
        <ns:SSR SSRCode="SEAT" Status="HK" RPH="1"><ns:Text>23A</ns:Text></ns:SSR>
        <ns:SSR SSRCode="WCHR" Status="HK" RPH="2" BoardPoint="AMS" OffPoint="JFK">
          <ns:Airline Code="KL"/>
          <ns:Text>WHEELCHAIR TO SEAT</ns:Text>
        </ns:SSR>
      </ns:Flight>
    </ns:PNR>
    <ns:PNR NumberOfPassengers="1" PNR_CreationDate="2025-06-01T12:00:00"
        PNR_TransDate="2025-06-30T20:00:00">
      <ns:BookingRefID ID="QWE456"><ns:CompanyName Code="KL"/></ns:BookingRefID>
      <ns:Passenger RPH="1">
        <ns:GivenName>MARIA</ns:GivenName><ns:Surname>SMITH</ns:Surname>
      </ns:Passenger>
      <ns:Flight DepartureDateTime="2025-07-01T10:00:00" FlightNumber="0641">
        <ns:DepartureAirport LocationCode="AMS"/><ns:ArrivalAirport LocationCode="JFK"/>
        <ns:MarketingAirline Code="KL"/>
      </ns:Flight>
    </ns:PNR>
  </ns:PNRs>
</ns:IATA_PNRGOV_NotifRQ>
"""

SECRETS = (
    b"MOML",
    b"WCHR",
    b"KSML",
    b"MUSLIM",
    b"CRUTCHES",
    b"WHEELCHAIR",
    b"HAJJ",
    b"PILGRIM",
)

# What the redaction must cut, exactly: whole lines, an element off a shared line, and
# one attribute. Everything else stays byte for byte.
CUTS = (
    b'      <ns:SSR SSRCode="WCHR" Status="HK"><ns:Airline Code="KL"/></ns:SSR>\n',
    b'      <ns:OtherServiceInfo><ns:Airline Code="KL"/>\n'
    b"        <ns:Text>MUSLIM MEAL</ns:Text></ns:OtherServiceInfo>\n",
    b"      <ns:Remark>PAX TRAVELS WITH CRUTCHES</ns:Remark>\n",
    b'        <ns:SSR SSRCode="MOML" Status="HK"><ns:Airline Code="KL"/></ns:SSR>\n',
    b'        <ns:SSR SSRCode="OTHS" Status="HK"><ns:Text>PAX NEEDS WCHR AT GATE</ns:Text>'
    b"</ns:SSR>\n",
    b' CardHolderName="HAJJ PILGRIM TOURS"',
    b'<ns:SSR SSRCode="KSML" Status="HK"/>',
    b'        <ns:SSR SSRCode="WCHR" Status="HK" RPH="2" BoardPoint="AMS" OffPoint="JFK">\n'
    b'          <ns:Airline Code="KL"/>\n'
    b"          <ns:Text>WHEELCHAIR TO SEAT</ns:Text>\n"
    b"        </ns:SSR>\n",
)


def _comparable(pushes: list[PnrPush]) -> list[PnrPush]:
    """The pushes without what may differ: warnings (element positions) and the log."""
    for push in pushes:
        push.warnings = []
        push.filtering = []
    return pushes


def _minimised(raw: bytes, rules: SensitiveRules = DEFAULT_RULES) -> list[PnrPush]:
    return [minimise(p, rules)[0] for p in pnrgov_xml.read(raw)]


def _assert_same_as_minimise(raw: bytes, rules: SensitiveRules = DEFAULT_RULES) -> bytes:
    redacted, log = redact_raw_xml(raw, rules)
    expected_log = [r for p in pnrgov_xml.read(raw) for r in minimise(p, rules)[1]]
    assert log == expected_log
    assert _comparable(pnrgov_xml.read(redacted)) == _comparable(_minimised(raw, rules))
    return redacted


def test_planted_sensitive_data_are_cut_and_nothing_else() -> None:
    for cut in CUTS:
        assert PLANTED.count(cut) == 1, cut
    redacted = _assert_same_as_minimise(PLANTED)
    for secret in SECRETS:
        assert secret in PLANTED
        assert secret not in redacted, secret
    expected = PLANTED
    for cut in CUTS:
        expected = expected.replace(cut, b"")
    assert redacted == expected
    # Look-alikes stay: a DOCS surname, a DOCA street, a contact, a child meal, a remark.
    for kept in (
        b"ISLAM/OMAR",
        b"1 CHURCH ST",
        b"O.ISLAM//MAIL",
        b"CHML",
        b"CALL BEFORE",
        b"AYSHA KHAN",
    ):
        assert kept in redacted
    # Declaration, comment and namespace prefixes are the sender's own.
    assert redacted.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- carrier batch')
    assert b'<ns:IATA_PNRGOV_NotifRQ xmlns:ns="http://www.iata.org/IATA/2007/00"' in redacted


def test_the_log_is_minimise_log_without_values() -> None:
    _redacted, log = redact_raw_xml(PLANTED)
    [push] = pnrgov_xml.read(PLANTED)
    assert len(log) == len(minimise(push)[1]) == len(CUTS)
    assert [str(r) for r in log] == [
        "PNR 1: SSR removed (rule sensitive-ssr, rules default-1)",
        "PNR 1: IFT removed (rule sensitive-text, rules default-1)",
        "PNR 1: IFT removed (rule sensitive-text, rules default-1)",
        "PNR 1 traveller 1: SSR removed (rule sensitive-ssr, rules default-1)",
        "PNR 1 traveller 1: SSR removed (rule sensitive-text, rules default-1)",
        "PNR 1 traveller 1 ticket 1 payment 1: payer IFT removed "
        "(rule sensitive-text, rules default-1)",
        "PNR 1 traveller 2: SSR removed (rule sensitive-ssr, rules default-1)",
        "PNR 1 flight segment 1: SSR removed (rule sensitive-ssr, rules default-1)",
    ]
    text = "\n".join(map(str, log)).encode()
    assert not any(secret in text for secret in SECRETS)


def test_redacting_twice_changes_nothing() -> None:
    once, log = redact_raw_xml(PLANTED)
    twice, log2 = redact_raw_xml(once)
    assert twice == once and log2 == [] and log


def test_nothing_to_remove_returns_the_bytes_as_received() -> None:
    clean = PLANTED
    for cut in CUTS:
        clean = clean.replace(cut, b"")
    redacted, log = redact_raw_xml(clean)
    assert redacted is clean and log == []


@needs_corpus
def test_corpus_file() -> None:
    raw = SAMPLE.read_bytes()
    redacted = _assert_same_as_minimise(raw)
    assert redacted == raw  # nothing sensitive in it
    # The same file with sensitive SSRs planted under Passenger and Flight, in the
    # default namespace the file declares per element.
    anna = b"<Surname>KOWALSKA</Surname>\n"
    planted = raw.replace(anna, anna + b'\t\t\t<SSR SSRCode="MOML" Status="HK"/>\n', 1)
    chld = b'<SSR SSRCode="CHLD"'
    planted = planted.replace(
        chld, b'<SSR SSRCode="OTHS"><Text>DIABETIC PAX</Text></SSR>\n\t\t\t' + chld, 1
    )
    assert planted != raw
    redacted, log = redact_raw_xml(planted)
    assert redacted == raw and len(log) == 2
    _assert_same_as_minimise(planted)
    # Deployment rules: a code added by configuration is cut, the default list is not.
    rules = SensitiveRules(ssr_codes={"CHLD": "test"}, keywords={}, version="t-1")
    redacted = _assert_same_as_minimise(raw, rules)
    assert b"CHLD" in raw and b"CHLD" not in redacted
    assert b"MOML" in _assert_same_as_minimise(planted, rules)


def test_other_encodings_and_wrapped_envelopes() -> None:
    expected = redact_raw_xml(PLANTED)[0]
    for codec in ("utf-16", "utf-16-be", "iso-8859-1"):
        name = {"utf-16-be": "UTF-16BE", "iso-8859-1": "ISO-8859-1"}.get(codec, "UTF-16")
        doc = PLANTED.replace(b'encoding="UTF-8"', f'encoding="{name}"'.encode())
        data = doc.decode().encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        redacted = _assert_same_as_minimise(data)
        assert redacted.startswith(data[:2])
        want = expected.replace(b'encoding="UTF-8"', f'encoding="{name}"'.encode())
        assert redacted.decode(codec).lstrip("\ufeff") == want.decode()
    body = PLANTED.split(b"?>", 1)[1]
    wrapped = b"<Batch>" + body + body + b"</Batch>"
    redacted, log = redact_raw_xml(wrapped)
    assert len(log) == 2 * len(CUTS)
    assert not any(secret in redacted for secret in SECRETS)
    _assert_same_as_minimise(wrapped)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", UnknownMessageType),
        (b"UNA:+.? 'UNB+IATA:1+X'", UnknownMessageType),
        (b"<Other><Thing/></Other>", UnknownMessageType),
        (PLANTED[:-40], MessageStructureError),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "MOML"><!ENTITY b "&a;&a;">]>'
            b'<IATA_PNRGOV_NotifRQ><PNR><SSR SSRCode="&b;"/></PNR></IATA_PNRGOV_NotifRQ>',
            MessageStructureError,
        ),
        (
            b"<IATA_PNRGOV_NotifRQ><PNRs><PNR><Passenger><GivenName>A</GivenName>"
            b"</Passenger></PNR></PNRs></IATA_PNRGOV_NotifRQ>",
            MessageStructureError,
        ),
    ],
)
def test_unreadable_xml_raises_a_format_error(data: bytes, error: type[FormatError]) -> None:
    with pytest.raises(error):
        redact_raw_xml(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)),
        max_size=3,
    ),
)
def test_fuzz_mutations(cuts: list[tuple[int, int, bytes]]) -> None:
    """Whatever the bytes: a FormatError, or a redaction equal to minimise and stable."""
    data = bytearray(PLANTED)
    for pos, length, repl in cuts:
        p = pos % (len(data) + 1)
        data[p : p + length] = repl
    with contextlib.suppress(FormatError):
        redacted = _assert_same_as_minimise(bytes(data))
        assert redact_raw_xml(redacted) == (redacted, [])
