"""PAXLST reader on hand-written messages: every field, every warning, every error."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from piu.domain.travel import (
    Address,
    BagInfo,
    FlightStatus,
    ListKind,
    TravelDocument,
    TravellerRole,
)
from piu.errors import (
    EdifactSyntaxError,
    FormatError,
    MessageStructureError,
    UnknownMessageType,
)
from piu.formats import paxlst
from tests.formats.helpers import comparable

UNB = "UNB+UNOA:4+AIR1:ZZ+PIUKG:ZZ+260301:0545+IC0001++PAXLST"
FLIGHT = [
    "TDT+20+KC109+++KC",
    "LOC+125+ALA",
    "DTM+189:2603010630:201",
    "LOC+87+IST",
    "DTM+232:202603011045:203",
]
PAX = ["NAD+FL+++ASANOV:BAKYT", "ATT+2++M", "DTM+329:800501"]


def message(
    *body: str,
    bgm: str = "BGM+745",
    ref: str = "M1",
    una: str = "UNA:+.?*'",
    unb: str = UNB,
    unt: int | None = None,
) -> bytes:
    """A one-message interchange; ``body`` is everything between BGM and UNT."""
    inner = [f"UNH+{ref}+PAXLST:D:05B:UN:IATA+KC109/260301/0630+01:F", bgm, *body]
    count = unt if unt is not None else len(inner) + 1
    segs = [unb, *inner, f"UNT+{count}+{ref}", "UNZ+1+IC0001"]
    return (una + "\n" + "'\n".join(segs) + "'\n").encode()


def one(data: bytes) -> paxlst.PassengerList:
    lists = paxlst.read(data)
    assert len(lists) == 1
    return lists[0]


# --------------------------------------------------------------------------- header


def test_envelope_and_header() -> None:
    pl = one(message("RFF+TN:BA1234567:::001", *FLIGHT, *PAX, "CNT+42:1"))
    assert pl.syntax == "UNOA:4"
    assert (pl.sender, pl.recipient) == ("AIR1", "PIUKG")
    assert pl.prepared_at == datetime(2026, 3, 1, 5, 45)
    assert pl.interchange_ref == "IC0001"
    assert pl.message_ref == "M1"
    assert pl.directory == "D05B"
    assert (pl.document_code, pl.document_subcode) == ("745", None)
    assert pl.kind is ListKind.PASSENGERS
    assert pl.status is None
    assert pl.transaction_ref == "BA1234567"
    assert pl.declared_passengers == 1
    assert pl.declared_crew is None
    assert pl.warnings == []


def test_functional_group_is_optional_and_checked() -> None:
    plain = message(*FLIGHT, *PAX)
    grouped = plain.replace(
        b"UNH+", b"UNG+PAXLST+AIR1+PIUKG+260301:0545+7+UN+D:05B'\nUNH+", 1
    ).replace(b"UNZ+", b"UNE+1+7'\nUNZ+", 1)
    assert comparable(one(grouped)) == comparable(one(plain))
    assert one(grouped).warnings == []
    bad = grouped.replace(b"UNE+1+7", b"UNE+2+7")
    assert any("declared 2 messages in the group, counted 1" in w for w in one(bad).warnings)


@pytest.mark.parametrize(
    ("bgm", "kind", "status", "subcode"),
    [
        ("BGM+745", ListKind.PASSENGERS, None, None),
        ("BGM+745+CP", ListKind.PASSENGERS, None, "CP"),
        ("BGM+745+XR", ListKind.PASSENGERS, None, "XR"),
        ("BGM+250", ListKind.CREW, None, None),
        ("BGM+336", ListKind.CREW, None, None),
        ("BGM+266+CL", ListKind.FLIGHT_STATUS, FlightStatus.CLOSED, "CL"),
        ("BGM+266+CLOB", ListKind.FLIGHT_STATUS, FlightStatus.CLOSED_ON_BOARD, "CLOB"),
        ("BGM+266+CLNB", ListKind.FLIGHT_STATUS, FlightStatus.CLOSED_NOT_ON_BOARD, "CLNB"),
        ("BGM+266+XF", ListKind.FLIGHT_STATUS, FlightStatus.CANCELLED, "XF"),
        ("BGM+266+CF", ListKind.FLIGHT_STATUS, FlightStatus.CHANGED, "CF"),
        ("BGM+266+RP", ListKind.FLIGHT_STATUS, None, "RP"),
        ("BGM+655", ListKind.OTHER, None, None),
    ],
)
def test_bgm_document_codes(
    bgm: str, kind: ListKind, status: FlightStatus | None, subcode: str | None
) -> None:
    pl = one(message(*FLIGHT, bgm=bgm))
    assert (pl.kind, pl.status, pl.document_subcode) == (kind, status, subcode)
    assert pl.document_code == bgm.split("+")[1]


def test_flight_status_notice_needs_no_flight() -> None:
    pl = one(message(bgm="BGM+266+XF"))
    assert pl.flights == [] and pl.travellers == []


def test_reporting_party_with_contacts() -> None:
    pl = one(
        message(
            "NAD+MS+++JOHN SMITH",
            "COM+703-555-1212:TE+703-555-4545:FX+OPS@AIR1.EXAMPLE:EM",
            *FLIGHT,
        )
    )
    party = pl.reporting_party
    assert party is not None
    assert (party.name, party.phone, party.fax, party.email) == (
        "JOHN SMITH",
        "703-555-1212",
        "703-555-4545",
        "OPS@AIR1.EXAMPLE",
    )


# --------------------------------------------------------------------------- flights


def test_flight_stops_local_and_utc_times() -> None:
    pl = one(message(*FLIGHT))
    (flight,) = pl.flights
    assert (flight.flight_id, flight.carrier, flight.number) == ("KC109", "KC", "109")
    assert not flight.overflight
    dep, arr = flight.stops
    assert (dep.airport, dep.qualifier) == ("ALA", "125")
    assert dep.departure_local == datetime(2026, 3, 1, 6, 30)
    assert dep.departure_utc == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # Almaty UTC+5
    assert (arr.airport, arr.qualifier) == ("IST", "87")
    assert arr.arrival_local == datetime(2026, 3, 1, 10, 45)  # format 203 CCYYMMDDHHMM
    assert arr.arrival_utc == datetime(2026, 3, 1, 7, 45, tzinfo=UTC)  # Istanbul UTC+3
    assert pl.reported_flight is flight


def test_multi_leg_itinerary_with_92_and_130() -> None:
    pl = one(
        message(
            "TDT+20+AA123+++AA",
            "LOC+92+ATL",
            "DTM+189:0702191540:201",
            "LOC+92+ORD",
            "DTM+232:0702191740:201",
            "DTM+189:0702191840:201",
            "LOC+130+JFK",
        )
    )
    atl, ord_, jfk = pl.flights[0].stops
    assert atl.departure_utc == datetime(2007, 2, 19, 20, 40, tzinfo=UTC)  # EST
    assert ord_.arrival_utc == datetime(2007, 2, 19, 23, 40, tzinfo=UTC)  # CST
    assert ord_.departure_utc == datetime(2007, 2, 20, 0, 40, tzinfo=UTC)
    assert (jfk.qualifier, jfk.arrival_local) == ("130", None)
    assert [leg.departure_airport for leg in pl.flights[0].legs] == ["ATL", "ORD"]


@pytest.mark.parametrize(
    ("tdt", "carrier", "number", "overflight"),
    [
        ("TDT+20+LA532", "LA", "532", False),
        ("TDT+20+U2123", "U2", "123", False),
        ("TDT+20+9W0117", "9W", "0117", False),
        ("TDT+20+DLH400", "DLH", "400", False),
        ("TDT+20+AA123+++AA", "AA", "123", False),
        ("TDT+20+123+++BA", "BA", "123", False),
        ("TDT+34+LH400+++LH", "LH", "400", True),
    ],
)
def test_carrier_from_element_5_or_flight_prefix(
    tdt: str, carrier: str, number: str, overflight: bool
) -> None:
    flight = one(message(tdt, "LOC+125+FRA")).flights[0]
    assert (flight.carrier, flight.number, flight.overflight) == (carrier, number, overflight)


def test_unknown_airport_keeps_local_time_and_warns() -> None:
    pl = one(message("TDT+20+KC1", "LOC+125+QQX", "DTM+189:2603010630:201"))
    stop = pl.flights[0].stops[0]
    assert stop.departure_local == datetime(2026, 3, 1, 6, 30)
    assert stop.departure_utc is None
    assert len(pl.warnings) == 1
    assert pl.warnings[0].startswith("segment 7 DTM: airport 'QQX' is unknown")


# --------------------------------------------------------------------------- travellers


FULL_TRAVELLER = [
    "NAD+FL+++DZHUMABAEV:AIGUL:KYZY:BEK+12 CHUY AVE:APT 5+BISHKEK+CHU+720001+KGZ",
    "ATT+2++F",
    "DTM+329:850914",
    "MEA+CT++3",
    "MEA+WT++KGM:32.5",
    "GEI+4+173",
    "FTX+BAG+++2660009:2",
    "FTX+BAG+++SU0005",
    "LOC+178+ALA",
    "LOC+179+IST",
    "LOC+174+KGZ",
    "LOC+180+KGZ",
    "LOC+22+IST",
    "COM+996555123456:TE+AIGUL@EXAMPLE.KG:EM",
    "NAT+2+KGZ",
    "RFF+AVF:7F5F21",
    "RFF+ABO:PAX0001",
    "RFF+SEA:056F",
    "RFF+YZY:7842836432717",
    "RFF+CR:20060907NY123",
    "RFF+AEA:1234567890ABC",
    "DOC+P:110:111+AC1234567",
    "DTM+36:300101",
    "DTM+182:200102",
    "LOC+91+KGZ",
    "DOC++433419360",
    "DTM+36:230920",
    "LOC+91+",
]


def test_every_traveller_field() -> None:
    data = message(*FLIGHT, *FULL_TRAVELLER, "CNT+42:1")
    pl = one(data)
    assert pl.warnings == []
    (t,) = pl.travellers
    assert t.role is TravellerRole.PASSENGER
    assert (t.surname, t.given_names, t.middle_names) == ("DZHUMABAEV", "AIGUL", "KYZY BEK")
    assert t.address == Address(
        street="12 CHUY AVE APT 5",
        city="BISHKEK",
        region="CHU",
        postcode="720001",
        country="KGZ",
    )
    assert t.gender == "F"
    assert t.date_of_birth == date(1985, 9, 14)
    assert t.bags == BagInfo(
        count=3, weight=32.5, weight_unit="KGM", tags=["2660009", "2660010", "SU0005"]
    )
    assert (t.embarkation, t.debarkation) == ("ALA", "IST")
    assert (t.residence_country, t.birth_place) == ("KGZ", "KGZ")
    assert t.other_locations == {"22": "IST"}
    assert t.contacts == {"TE": "996555123456", "EM": "AIGUL@EXAMPLE.KG"}
    assert t.nationality == "KGZ"
    assert (t.record_locator, t.passenger_ref, t.seat) == ("7F5F21", "PAX0001", "056F")
    assert (t.ticket, t.customer_ref) == ("7842836432717", "20060907NY123")
    assert t.other_refs == {"AEA": "1234567890ABC"}
    assert t.documents == [
        TravelDocument(
            number="AC1234567",
            doc_type="P",
            expiry=date(2030, 1, 1),
            issued=date(2020, 1, 2),
            issuing_state="KGZ",
        ),
        TravelDocument(number="433419360", doc_type=None, expiry=date(2023, 9, 20)),
    ]
    assert t.segment_index == 10  # after UNA UNB UNH BGM TDT LOC DTM LOC DTM
    assert t.offset is not None
    assert data[t.offset : t.offset + 6] == b"NAD+FL"


def test_traveller_positions_point_at_the_nad_segment() -> None:
    data = message(*FLIGHT, *PAX, "NAD+FL+++SECOND")
    pl = one(data)
    first, second = pl.travellers
    assert second.offset is not None
    # UNA=1 UNB=2 UNH=3 BGM=4 TDT=5 LOC=6 DTM=7 LOC=8 DTM=9 NAD=10
    assert (first.segment_index, second.segment_index) == (10, 13)
    assert data[second.offset :].startswith(b"NAD+FL+++SECOND'")


@pytest.mark.parametrize(
    ("qualifier", "role"),
    [
        ("FL", TravellerRole.PASSENGER),
        ("FM", TravellerRole.CREW),
        ("DDU", TravellerRole.TRANSIT_PASSENGER),
        ("DDT", TravellerRole.TRANSIT_CREW),
    ],
)
def test_traveller_roles(qualifier: str, role: TravellerRole) -> None:
    pl = one(message(*FLIGHT, f"NAD+{qualifier}+++DOE:JANE"))
    assert pl.travellers[0].role is role


def test_name_without_given_name_and_trailing_empty_component() -> None:
    pl = one(message(*FLIGHT, "NAD+FL+++JIANG:HSIUYUAN:", "NAD+FL+++MADONNA"))
    a, b = pl.travellers
    assert (a.surname, a.given_names, a.middle_names) == ("JIANG", "HSIUYUAN", None)
    assert (b.surname, b.given_names, b.middle_names, b.address) == ("MADONNA", None, None, None)


def test_birth_century_is_judged_against_the_message_date() -> None:
    pl = one(
        message(
            *FLIGHT,
            "NAD+FL+++A",
            "DTM+329:260301",  # the message day itself: 2026
            "NAD+FL+++B",
            "DTM+329:260302",  # one day later would be in the future: 1926
            "NAD+FL+++C",
            "DTM+329:19051231:102",
            "NAD+FL+++D",
            "DTM+329: 670603",  # GTAS flight3.txt has a blank before the date
        )
    )
    assert [t.date_of_birth for t in pl.travellers] == [
        date(2026, 3, 1),
        date(1926, 3, 2),
        date(1905, 12, 31),
        date(1967, 6, 3),
    ]


def test_bag_forms_seen_in_the_wild() -> None:
    pl = one(
        message(
            *FLIGHT,
            "NAD+FL+++A",
            "MEA+CT++PCE:2",
            "MEA+WT++13",
            "FTX+BAG+++0099:3",
            "FTX+BAG+++5:1",
        )
    )
    assert pl.travellers[0].bags == BagInfo(
        count=2, weight=13.0, weight_unit=None, tags=["0099", "0100", "0101", "5"]
    )


def test_bag_values_that_cannot_be_read_are_warnings() -> None:
    pl = one(
        message(
            *FLIGHT,
            "NAD+FL+++A",
            "MEA+CT++MANY",
            "MEA+WT++KGM:HEAVY",
            "FTX+BAG+++SU0005:3",
            "FTX+BAG+++1:1000",
            "MEA+XX++1",
        )
    )
    assert pl.travellers[0].bags == BagInfo(tags=["SU0005", "1"])
    assert [w.split(":")[0] for w in pl.warnings] == [
        "segment 11 MEA",
        "segment 12 MEA",
        "segment 13 FTX",
        "segment 14 FTX",
        "segment 15 MEA",
    ]


def test_unknown_party_qualifier_skips_its_group() -> None:
    pl = one(message(*FLIGHT, "NAD+ZZZ+++NOBODY", "ATT+2++M", "DOC+P+1", *PAX))
    assert [t.surname for t in pl.travellers] == ["ASANOV"]
    assert pl.warnings == [
        "segment 10 NAD: party qualifier 'ZZZ' is not a traveller (FL, FM, DDU, DDT); "
        "this group is skipped"
    ]


def test_unknown_segment_is_skipped_with_a_warning() -> None:
    pl = one(message(*FLIGHT, "NAD+FL+++A", "XYZ+1", "NAT+2+KGZ"))
    assert pl.travellers[0].nationality == "KGZ"
    assert pl.warnings == ["segment 11 XYZ: unknown segment in a traveller group (Gr4); skipped"]


def test_documents_out_of_order_attach_to_the_traveller() -> None:
    pl = one(message(*FLIGHT, "NAD+FL+++A", "DOC+P+X1", "NAT+2+KGZ", "LOC+178+ALA"))
    t = pl.travellers[0]
    assert (t.nationality, t.embarkation, t.documents[0].number) == ("KGZ", "ALA", "X1")


# --------------------------------------------------------------------------- control counts


def test_cnt_and_unt_mismatches_are_warnings() -> None:
    data = message(
        *FLIGHT,
        *PAX,
        "NAD+FM+++PILOT",
        "NAD+DDT+++PURSER",
        "CNT+42:2",
        "CNT+41:2",
        unt=23,
    )
    pl = one(data)
    assert len(pl.travellers) == 3
    assert (pl.declared_passengers, pl.declared_crew) == (2, 2)
    assert pl.warnings == [
        "segment 17 UNT: declared 23 segments, counted 15",
        "segment 15 CNT: declared 2 passengers (CNT+42), read 1",
    ]


def test_several_messages_in_one_interchange() -> None:
    first = message(*FLIGHT, *PAX, ref="A").decode()
    second = message(*FLIGHT, "NAD+FM+++PILOT", bgm="BGM+250", ref="B").decode()
    body = second[second.index("UNH") : second.index("UNZ")]
    data = first.replace("UNZ+1+", body + "UNZ+2+").encode()
    a, b = paxlst.read(data)
    assert (a.message_ref, a.kind, b.message_ref, b.kind) == (
        "A",
        ListKind.PASSENGERS,
        "B",
        ListKind.CREW,
    )
    assert b.travellers[0].role is TravellerRole.CREW
    assert a.warnings == b.warnings == []


def test_latin1_bytes_in_unoa_message_are_read_and_flagged() -> None:
    data = message(*FLIGHT, "NAD+FL+++MÜLLER").decode().encode("latin-1")
    pl = one(data)
    assert pl.travellers[0].surname == "MÜLLER"
    assert pl.warnings[0].startswith("segment 2 UNB: declared UNOA (ASCII)")


def test_decimal_comma_from_una() -> None:
    pl = one(message(*FLIGHT, "NAD+FL+++A", "MEA+WT++KGM:12,5", una="UNA:+,?*'"))
    assert pl.travellers[0].bags == BagInfo(weight=12.5, weight_unit="KGM")


# --------------------------------------------------------------------------- errors


def _error(data: bytes) -> FormatError:
    with pytest.raises(FormatError) as info:
        paxlst.read(data)
    return info.value


@pytest.mark.parametrize(
    ("body", "kw", "index", "tag", "element", "reason"),
    [
        ((*FLIGHT, "NAD+FL+++:JOHN"), {}, 10, "NAD", 4, "no surname"),
        ((*FLIGHT, "NAD+FL+++ :JOHN"), {}, 10, "NAD", 4, "no surname"),
        ((*FLIGHT, "NAD+FL+++A", "DTM+329:720230"), {}, 11, "DTM", 1, "not a valid date"),
        ((*FLIGHT, "NAD+FL+++A", "DTM+329:7202"), {}, 11, "DTM", 1, "not 6 or 8 digits"),
        (("TDT+20+KC1", "LOC+125+ALA", "DTM+189:2613011200:201"), {}, 7, "DTM", 1, "valid"),
        (("TDT+20+KC1", "LOC+125+ALA", "DTM+189:260301:201"), {}, 7, "DTM", 1, "10 or 12"),
        ((*FLIGHT, "NAD+FL+++A", "DOC+P"), {}, 11, "DOC", 2, "no document number"),
        (("DOC+P+123", *FLIGHT), {}, 5, "DOC", None, "cannot be in the message header"),
        (("ATT+2++M", *FLIGHT), {}, 5, "ATT", None, "cannot be in the message header"),
        ((*FLIGHT, *PAX, "TDT+20+KC2"), {}, 13, "TDT", None, "before traveller groups"),
        ((*FLIGHT, *PAX, "NAD+MS+++X"), {}, 13, "NAD", 1, "reporting party"),
        (("TDT+20", "LOC+125+ALA"), {}, 5, "TDT", 2, "no flight identifier"),
        (("TDT+20+KC1", "LOC+125"), {}, 6, "LOC", 2, "has no airport"),
        ((*PAX,), {}, 8, "UNT", None, "has no TDT"),
        ((), {"bgm": "BGM+250"}, 5, "UNT", None, "has no TDT"),
        ((*FLIGHT,), {"bgm": "BGM"}, 4, "BGM", 1, "no document name code"),
        ((*FLIGHT, "CNT+42:0", "NAT+2+KGZ"), {}, 11, "NAT", None, "after the control totals"),
    ],
)
def test_structure_errors_name_the_segment(
    body: tuple[str, ...],
    kw: dict[str, str],
    index: int,
    tag: str,
    element: int | None,
    reason: str,
) -> None:
    data = message(*body, **kw)  # type: ignore[arg-type]
    err = _error(data)
    assert isinstance(err, MessageStructureError)
    assert reason in err.reason
    assert (err.segment_index, err.tag, err.element) == (index, tag, element)
    assert err.offset is not None and data[err.offset :].startswith(tag.encode())


def test_no_unh() -> None:
    err = _error(b"UNB+UNOA:4+A+B+260301:0000+1'UNZ+0+1'")
    assert isinstance(err, MessageStructureError)
    assert "no UNH" in err.reason
    assert _error(b"").reason.startswith("no PAXLST message")


def test_segment_before_unh_is_misplaced() -> None:
    err = _error(b"UNB+UNOA:4+A+B+260301:0000+1'BGM+745'UNZ+0+1'")
    assert (err.segment_index, err.tag) == (2, "BGM")
    assert "outside a message" in err.reason


def test_bgm_must_follow_unh() -> None:
    err = _error(message(*FLIGHT, bgm="RFF+TN:1"))
    assert (err.segment_index, err.tag) == (4, "RFF")
    assert "before BGM" in err.reason


def test_missing_unt() -> None:
    data = re.sub(rb"UNT\+\d+\+M1'\n", b"", message(*FLIGHT, *PAX))
    err = _error(data)
    assert isinstance(err, MessageStructureError)
    assert (err.segment_index, err.tag) == (13, "UNZ")
    assert "(UNH at segment 3) has no UNT" in err.reason
    truncated = data[: data.index(b"UNZ")]
    err = _error(truncated)
    assert (err.segment_index, err.tag) == (3, "UNH")
    assert "no UNT" in err.reason


def test_other_message_types_are_unknown() -> None:
    data = message(*FLIGHT).replace(b"PAXLST:D:05B", b"CUSRES:D:05B")
    err = _error(data)
    assert isinstance(err, UnknownMessageType)
    assert (err.segment_index, err.tag, err.element) == (3, "UNH", 2)


def test_syntax_errors_come_through_as_format_errors() -> None:
    err = _error(message(*FLIGHT, "NAD+FL+++A", "nat+2+KGZ"))
    assert isinstance(err, EdifactSyntaxError)
    assert err.segment_index == 11


def test_an_escaped_terminator_runs_into_the_next_segment() -> None:
    # "O?'" escapes the terminator: NAD swallows UNT, so UNZ arrives inside the message
    err = _error(message(*FLIGHT, "NAD+FL+++O?"))
    assert isinstance(err, MessageStructureError)
    assert (err.segment_index, err.tag) == (11, "UNZ")


@pytest.mark.parametrize(
    ("data", "index", "tag", "element", "reason"),
    [
        (message(*FLIGHT).replace(UNB.encode() + b"'\n", b""), 2, "UNH", None, "no UNB"),
        (message(*FLIGHT, unb="UNB++A+B+260301:0000+1"), 2, "UNB", 1, "no syntax identifier"),
        (message(*FLIGHT).replace(b"UNH+M1+", b"UNH++"), 3, "UNH", 1, "no message reference"),
        (
            message(*FLIGHT).replace(b"PAXLST:D:05B:UN:IATA", b"PAXLST"),
            3,
            "UNH",
            2,
            "no directory",
        ),
    ],
)
def test_mandatory_envelope_elements(
    data: bytes, index: int, tag: str, element: int | None, reason: str
) -> None:
    err = _error(data)
    assert isinstance(err, MessageStructureError)
    assert (err.segment_index, err.tag, err.element) == (index, tag, element)
    assert reason in err.reason


def test_optional_envelope_elements_may_be_empty() -> None:
    pl = one(message(*FLIGHT, unb="UNB+UNOA:4+AIR1++260301:0545+IC0001"))
    assert (pl.sender, pl.recipient) == ("AIR1", None)
    pl = one(message(*FLIGHT, unb="UNB+UNOA:4+AIR1+X+260399:0545+IC0001"))
    assert pl.prepared_at is None
    assert pl.warnings == [
        "segment 2 UNB: interchange date/time 260399:0545 is not valid; preparation time not kept"
    ]
