"""PNRGOV XML reader: the community corpus file, a full namespaced push, errors, fuzz."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piu.errors import FormatError, MessageStructureError, UnknownMessageType
from piu.formats import pnrgov_xml
from piu.formats.detect import detect

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "pnrgov-xml"
SAMPLE = CORPUS / "test_pnr.xml"
needs_corpus = pytest.mark.skipif(not SAMPLE.is_file(), reason="corpus not available")

# What the corpus file lacks: the standard envelope with a namespace prefix, Originator,
# FlightLeg, two PNRs, POS, contacts, bags, loyalty, structured DOCS/DOCA, DOCO text,
# ticket with fare, taxes and card payment, a code-share segment and a seat.
FULL = b"""<?xml version="1.0" encoding="UTF-8"?>
<ns:IATA_PNRGOV_NotifRQ xmlns:ns="http://www.iata.org/IATA/2007/00" Version="13.1"
    TimeStamp="2025-06-30T22:00:00Z" EchoToken="MSG0001">
  <ns:Originator AirlineCode="KL" SystemCode="1A"/>
  <ns:FlightLeg CarrierCode="KL" FlightNumber="0641">
    <ns:DepartureAirport LocationCode="AMS"/>
    <ns:ArrivalAirport LocationCode="JFK"/>
    <ns:DepartureDateTime>2025-07-01T10:00:00</ns:DepartureDateTime>
    <ns:ArrivalDateTime>2025-07-01T12:30:00</ns:ArrivalDateTime>
  </ns:FlightLeg>
  <ns:PNRs NumberOfPNRs="2">
    <ns:PNR NumberOfPassengers="1" PNR_CreationDate="2025-05-01T09:15:00"
        PNR_TransDate="2025-06-30T21:00:00">
      <ns:BookingRefID ID="ABC123"><ns:CompanyName Code="KL"/></ns:BookingRefID>
      <ns:BookingRefID ID="XYZ987"><ns:CompanyName Code="1A"/></ns:BookingRefID>
      <ns:POS><ns:Source AgentSine="AB12" PseudoCityCode="AMSKL0100" ISOCountry="NL"
          ISOCurrency="EUR" AirlineVendorID="KL" AirportCode="AMS">
        <ns:RequestorID ID="12345675" Type="5"/></ns:Source></ns:POS>
      <ns:ContactInfo>
        <ns:Telephone PhoneNumber="31201234567" PhoneUseType="M"/>
        <ns:Email>JAN.DEVRIES@EXAMPLE.NL</ns:Email>
        <ns:Address><ns:AddressLine>KEIZERSGRACHT 1</ns:AddressLine>
          <ns:CityName>AMSTERDAM</ns:CityName><ns:PostalCode>1015CJ</ns:PostalCode>
          <ns:CountryName Code="NL"/></ns:Address>
      </ns:ContactInfo>
      <ns:PrepaidBag BagPieces="2" Weight="46" UnitOfMeasure="K" Amount="70.00"
          CurrencyCode="EUR"/>
      <ns:Passenger RPH="1" SurnameRefNumber="1" PassengerTypeCode="ADT">
        <ns:GivenName>JAN PIETER</ns:GivenName>
        <ns:Surname>DE VRIES</ns:Surname>
        <ns:CustLoyalty ProgramID="KL" MembershipID="1234567890" LoyalLevel="GOLD"/>
        <ns:SSR SSRCode="CTCE" Status="HK"><ns:Airline Code="KL"/>
          <ns:Text>J..DEVRIES//MAIL./EXAMPLE.NL</ns:Text></ns:SSR>
        <ns:SSR SSRCode="VGML" Status="HK"><ns:Airline Code="KL"/></ns:SSR>
        <ns:DOC_SSR SSRCode="DOCS" Status="HK" RPH="1">
          <ns:FlightInfo Code="KL"/>
          <ns:DOCS DocType="P" DocIssueCountry="NLD" DocID="NX1234567" PaxNationality="NLD"
              DateOfBirth="1980-04-12" Gender="M" ExpireDate="2030-01-31"
              Surname="DE VRIES" FirstGivenName="JAN" SecondGivenName="PIETER"/>
        </ns:DOC_SSR>
        <ns:DOC_SSR SSRCode="DOCO" Status="HK" RPH="1">
          <ns:DOCO>/AMSTERDAM/V/123456789/WASHINGTON/01JAN24/US</ns:DOCO>
        </ns:DOC_SSR>
        <ns:DOC_SSR SSRCode="DOCA" Status="HK" RPH="1">
          <ns:DOCA AddressType="D" Country="USA" Address="1 PARK AVE" CityName="NEW YORK"
              StateProv="NY" PostalCode="10016"/>
        </ns:DOC_SSR>
        <ns:TicketDocument TicketDocumentNbr="0742123456789" Type="T"
            DateOfIssue="2025-05-01T09:20:00">
          <ns:TotalFare Amount="812.40" CurrencyCode="EUR"/>
          <ns:Taxes><ns:Tax Amount="26.20" CurrencyCode="EUR" TaxCode="CJ" CountryCode="NL"/>
            <ns:Tax Amount="21.30" CurrencyCode="EUR" TaxCode="US"/></ns:Taxes>
          <ns:PaymentInfo PaymentType="CC" PaymentAmount="812.40">
            <ns:PaymentCard CardType="VI" CardNumber="4111111111111111" ExpireDate="1227">
              <ns:CardHolderName>J P DE VRIES</ns:CardHolderName>
            </ns:PaymentCard>
          </ns:PaymentInfo>
        </ns:TicketDocument>
      </ns:Passenger>
      <ns:Flight DepartureDateTime="2025-07-01T10:00:00" ArrivalDateTime="2025-07-01T12:30:00"
          FlightNumber="0641" ResBookDesigCode="Y" Status="HK" NumberInParty="1">
        <ns:DepartureAirport LocationCode="AMS"/>
        <ns:ArrivalAirport LocationCode="JFK"/>
        <ns:OperatingAirline Code="DL" FlightNumber="9361"/>
        <ns:MarketingAirline Code="KL"/>
        <ns:SSR SSRCode="SEAT" Status="HK" RPH="1" BoardPoint="AMS" OffPoint="JFK">
          <ns:Airline Code="KL"/><ns:Text>23A</ns:Text></ns:SSR>
      </ns:Flight>
    </ns:PNR>
    <ns:PNR NumberOfPassengers="1" PNR_CreationDate="2025-06-01T12:00:00"
        PNR_TransDate="2025-06-30T20:00:00">
      <ns:BookingRefID ID="QWE456"><ns:CompanyName Code="KL"/></ns:BookingRefID>
      <ns:Passenger RPH="1">
        <ns:GivenName>MARIA</ns:GivenName><ns:Surname>SMITH</ns:Surname>
        <ns:DOC_SSR SSRCode="DOCS" Status="HK">
          <ns:DOCS>/P/GBR/123456789/GBR/05FEB53/F/01MAR29/SMITH/MARIA</ns:DOCS>
        </ns:DOC_SSR>
      </ns:Passenger>
      <ns:Flight DepartureDateTime="2025-07-01T10:00:00" ArrivalDateTime="2025-07-01T12:30:00"
          FlightNumber="0641">
        <ns:DepartureAirport LocationCode="AMS"/><ns:ArrivalAirport LocationCode="JFK"/>
        <ns:MarketingAirline Code="KL"/>
      </ns:Flight>
      <ns:Unexpected/>
    </ns:PNR>
  </ns:PNRs>
</ns:IATA_PNRGOV_NotifRQ>
"""


@needs_corpus
def test_corpus_file() -> None:
    data = SAMPLE.read_bytes()
    assert detect(data) == "pnrgov-xml"
    [push] = pnrgov_xml.read(data)
    assert any("bare PNR" in w for w in push.warnings)
    assert push.flight is None and push.originator is None
    [pnr] = push.pnrs
    assert pnr.record_locator == "00A234B"
    assert pnr.carrier == "ENT"
    assert pnr.created == datetime(2024, 1, 1, 4, 40)
    assert pnr.last_modified == datetime(2024, 1, 1, 2, 40)
    names = [(t.surname, t.given_names, t.ref) for t in pnr.travellers]
    assert names == [
        ("KOWALSKA", "ANNA", "20000000"),
        ("KOWALSKI", "ADAM", "20000001"),
        ("KOWALSKI", "JAN", "20000002"),
    ]
    anna, adam, jan = pnr.travellers
    # structured DOC_SSR/DOCS and the DOCS text under Flight are one document
    [docs] = anna.docs
    assert (docs.doc_type, docs.issuing_state, docs.number, docs.nationality) == (
        "P",
        "POL",
        "BA5345321",
        "POL",
    )
    assert docs.date_of_birth == date(2002, 12, 30)
    assert docs.expiry == date(2027, 8, 30)
    assert (docs.gender, docs.surname, docs.given_names) == ("F", "KOWALSKA", "ANNA")
    assert (docs.status, docs.carrier, docs.traveller_ref) == ("HK", "ENT", "20000000")
    assert adam.gender == "M"  # only in the text: filled into the structured one
    assert adam.date_of_birth == date(2022, 12, 30)  # a child (SSR CHLD), anchored on 2024
    assert [d.number for d in jan.docs] == ["AB1324659"]
    [seg] = pnr.itinerary
    assert (seg.origin, seg.destination, seg.marketing_carrier, seg.flight_number) == (
        "LHR",
        "WAW",
        "ENT",
        "1234",
    )
    assert seg.departure_local == datetime(2024, 1, 1, 10, 15)
    assert seg.departure_utc == datetime(2024, 1, 1, 10, 15, tzinfo=UTC)
    assert seg.arrival_utc == datetime(2024, 1, 1, 13, 20, tzinfo=UTC)  # Warsaw is UTC+1
    assert (seg.status, seg.party_size, seg.is_code_share) == ("HK", "167", False)
    assert [s.code for s in seg.ssrs] == ["CHLD", "SEAT"]
    assert seg.ssrs[1].refs[0].traveller_ref == "20000002"
    assert [r.locator for r in seg.locators] == ["00A234B"]
    assert any("TransDate is before" in w for w in push.warnings)
    assert sum("under Flight" in w for w in push.warnings) == 3


def test_full_namespaced_push() -> None:
    assert detect(FULL) == "pnrgov-xml"
    [push] = pnrgov_xml.read(FULL)
    assert (push.version, push.message_ref) == ("13.1", "MSG0001")
    assert push.prepared_at == datetime(2025, 6, 30, 22, 0)
    assert push.originator is not None
    assert (push.originator.airline, push.originator.system_company) == ("KL", "1A")
    f = push.flight
    assert f is not None
    assert (f.marketing_carrier, f.flight_number, f.origin, f.destination) == (
        "KL",
        "0641",
        "AMS",
        "JFK",
    )
    assert f.departure_utc == datetime(2025, 7, 1, 8, 0, tzinfo=UTC)  # CEST
    assert f.arrival_utc == datetime(2025, 7, 1, 16, 30, tzinfo=UTC)  # EDT
    assert push.declared_pnrs == 2 and len(push.pnrs) == 2
    assert push.traveller_count == 2

    first, second = push.pnrs
    assert [r.locator for r in first.locators] == ["ABC123", "XYZ987"]
    assert first.created == datetime(2025, 5, 1, 9, 15)
    org = first.originator
    assert org is not None
    assert (org.agent_sign, org.office_id, org.agency_id, org.country) == (
        "AB12",
        "AMSKL0100",
        "12345675",
        "NL",
    )
    assert [(c.kind, c.value) for c in first.contacts] == [
        ("mobile", "31201234567"),
        ("email", "JAN.DEVRIES@EXAMPLE.NL"),
    ]
    assert first.addresses[0].address.city == "AMSTERDAM"
    assert first.addresses[0].address.country == "NL"
    [bag] = first.excess_baggage
    assert (bag.quantity, bag.weight, bag.unit, bag.amount) == ("2", "46", "K", "70.00")

    [t] = first.travellers
    assert (t.surname, t.given_names, t.traveller_type, t.ref) == (
        "DE VRIES",
        "JAN PIETER",
        "A",
        "1",
    )
    [ff] = t.frequent_flyer
    assert (ff.carrier, ff.number, ff.tier) == ("KL", "1234567890", "GOLD")
    assert [(c.kind, c.value) for c in t.contacts] == [("email", "J_DEVRIES@MAIL-EXAMPLE.NL")]
    assert [s.code for s in t.ssrs] == ["VGML"]
    [docs] = t.docs
    assert docs.number == "NX1234567" and docs.date_of_birth == date(1980, 4, 12)
    assert docs.expiry == date(2030, 1, 31) and docs.middle_names == "PIETER"
    assert t.nationality == "NLD"
    [doco] = t.doco
    assert (doco.birth_place, doco.doc_type, doco.number, doco.applicable_country) == (
        "AMSTERDAM",
        "V",
        "123456789",
        "US",
    )
    assert doco.issued == date(2024, 1, 1)
    [doca] = t.doca
    assert doca.address_type == "D"
    assert (doca.address.city, doca.address.region, doca.address.postcode) == (
        "NEW YORK",
        "NY",
        "10016",
    )
    [tk] = t.tickets
    assert tk.number == "0742123456789" and tk.issued == datetime(2025, 5, 1, 9, 20)
    assert [(a.qualifier, a.amount, a.currency) for a in tk.amounts] == [("T", "812.40", "EUR")]
    assert [(x.code, x.amount) for x in tk.taxes] == [("CJ", "26.20"), ("US", "21.30")]
    [pay] = tk.payments
    assert (pay.fop_type, pay.card_type, pay.amount, pay.card_expiry) == (
        "CC",
        "VI",
        "812.40",
        "1227",
    )
    assert pay.card_number_masked == "XXXXXXXXXXXX1111"
    assert pay.payer is not None and pay.payer.text == "J P DE VRIES"

    [seg] = first.itinerary
    assert seg.is_code_share
    assert (seg.marketing_carrier, seg.operating_carrier, seg.operating_flight_number) == (
        "KL",
        "DL",
        "9361",
    )
    assert seg.booking_class == "Y" and seg.departure_time == time(10, 0)
    assert seg.seats == [("1", "23A")]

    [maria] = second.travellers
    assert maria.date_of_birth == date(1953, 2, 5)
    assert maria.documents[0].number == "123456789"
    assert not second.itinerary[0].is_code_share
    assert "IATA_PNRGOV_NotifRQ/PNRs/PNR[2]: unknown element Unexpected; skipped" in push.warnings


def test_no_namespace_and_wrapped_envelope() -> None:
    bare = FULL.replace(b"ns:", b"").replace(b' xmlns="http://www.iata.org/IATA/2007/00"', b"")
    bare = bare.replace(b' xmlns:ns="http://www.iata.org/IATA/2007/00"', b"")
    [push] = pnrgov_xml.read(bare)
    assert [p.record_locator for p in push.pnrs] == ["ABC123", "QWE456"]
    body = FULL.split(b"?>", 1)[1]
    pushes = pnrgov_xml.read(b"<Batch>" + body + body + b"</Batch>")
    assert len(pushes) == 2
    assert all(any("wrapped in Batch" in w for w in p.warnings) for p in pushes)
    assert pushes[1].pnrs[1].travellers[0].surname == "SMITH"


def test_tolerances_are_warned() -> None:
    data = b"""<IATA_PNRGOV_NotifRQ><FlightLeg CarrierCode="XX" FlightNumber="1"
      DepartureDateTime="2025-13-01T10:00:00" ArrivalDateTime="2025-01-01T12:00:00">
      <DepartureAirport LocationCode="AMS"/><ArrivalAirport LocationCode="QQQ"/></FlightLeg>
      <PNRs><PNR NumberOfPassengers="3"><Passenger><Surname>X</Surname>
      <SSR SSRCode="DOCS"><Text>/P/GBR/1/GBR//05FEB53/F/01MAR29/X/Y</Text></SSR>
      <SSR><Text>NO CODE</Text></SSR></Passenger></PNR></PNRs></IATA_PNRGOV_NotifRQ>"""
    [push] = pnrgov_xml.read(data, today=date(2025, 1, 1))
    w = "\n".join(push.warnings)
    assert "IATA_PNRGOV_NotifRQ: no Originator" in w
    assert "FlightLeg: DepartureDateTime '2025-13-01T10:00:00' is not" in w
    assert "unknown airport 'QQQ'" in w
    assert "PNR[1]: PNR without BookingRefID" in w
    assert "PNR[1]: declared 3 passengers, counted 1" in w
    assert "Passenger[1]/SSR[1]: DOCS fields shifted by +1" in w
    assert "Passenger[1]/SSR[2]: SSR without SSRCode; skipped" in w
    assert push.flight is not None and push.flight.departure_date is None
    assert push.flight.arrival_utc is None
    assert push.pnrs[0].travellers[0].docs[0].date_of_birth == date(1953, 2, 5)


@pytest.mark.parametrize(
    ("data", "error", "text"),
    [
        (b"", UnknownMessageType, "not an XML"),
        (b"UNA:+.? 'UNB+IATA:1+X'", UnknownMessageType, "not an XML"),
        (b"<Other><Thing/></Other>", UnknownMessageType, "no PNR elements"),
        (b"<IATA_PNRGOV_NotifRQ><PNRs>", MessageStructureError, "line 1 column"),
        (b"<a>\xff\xfe</a>", MessageStructureError, "not well-formed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<IATA_PNRGOV_NotifRQ>&b;</IATA_PNRGOV_NotifRQ>",
            MessageStructureError,
            "DOCTYPE",
        ),
        (
            b'<!DOCTYPE r SYSTEM "file:///etc/passwd"><IATA_PNRGOV_NotifRQ/>',
            MessageStructureError,
            "refused",
        ),
        (
            b"<IATA_PNRGOV_NotifRQ><PNRs><PNR><Passenger><GivenName>A</GivenName>"
            b"</Passenger></PNR></PNRs></IATA_PNRGOV_NotifRQ>",
            MessageStructureError,
            "PNR[1]/Passenger[1]: Passenger without Surname",
        ),
    ],
)
def test_errors(data: bytes, error: type[FormatError], text: str) -> None:
    with pytest.raises(error) as info:
        pnrgov_xml.read(data)
    assert text in str(info.value)


def _seeds() -> list[bytes]:
    return [FULL] + ([SAMPLE.read_bytes()] if SAMPLE.is_file() else [])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_seeds()),
    cuts=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)),
        max_size=4,
    ),
)
def test_fuzz_mutations_raise_only_format_errors(
    seed: bytes, cuts: list[tuple[int, int, bytes]]
) -> None:
    data = bytearray(seed)
    for pos, length, repl in cuts:
        p = pos % (len(data) + 1)
        data[p : p + length] = repl
    with contextlib.suppress(FormatError):
        pnrgov_xml.read(bytes(data))
    detect(bytes(data))


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=200) | st.text(alphabet="<>/=\"' aPNRSx:&;!-?", max_size=80).map(str.encode)
)
def test_fuzz_random_bytes(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        pnrgov_xml.read(data)
