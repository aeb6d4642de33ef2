"""Round trips: ``read(write(x)) == x`` for generated passenger lists, and the writer's
output is a fixed point (``write(read(write(x))) == write(x)``)."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from piu.domain.travel import (
    Address,
    BagInfo,
    Flight,
    PassengerList,
    ReportingParty,
    Stop,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from piu.formats import paxlst
from piu.formats.edifact import Separators
from piu.formats.paxlst._rules import kind_for, status_for
from piu.reference.airports import to_utc
from tests.formats.helpers import comparable

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPARATOR_SETS = [
    Separators.DEFAULT,
    Separators.SYNTAX3,
    Separators(":", "*", ".", "?", " ", "$"),
    Separators(":", "-", ",", "?", " ", "*"),
    Separators(":", "+", ".", "\\", "*", "'"),
]
KNOWN_RFF = {"AVF", "ABO", "SEA", "YZY", "CR"}
KNOWN_LOC = {"178", "179", "174", "180"}


def texts(unicode: bool) -> st.SearchStrategy[str]:
    if unicode:
        chars = st.characters(codec="utf-8", exclude_characters="\x00")
    else:
        chars = st.characters(min_codepoint=1, max_codepoint=127)
    return st.text(alphabet=chars, min_size=1, max_size=12)


def opt(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


codes = st.text(alphabet=UPPER, min_size=2, max_size=3)
minute_times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2110, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
airports = st.sampled_from(["ALA", "IST", "JFK", "SCL", "ATL", "BSZ", "FRA", "QQX"])


@st.composite
def stops(draw: st.DrawFn) -> Stop:
    airport = draw(airports)
    arrival = draw(st.none() | minute_times)
    departure = draw(st.none() | minute_times)
    return Stop(
        airport=airport,
        qualifier=draw(st.sampled_from(["125", "87", "92", "130"])),
        arrival_local=arrival,
        arrival_utc=to_utc(arrival, airport) if arrival else None,
        departure_local=departure,
        departure_utc=to_utc(departure, airport) if departure else None,
    )


@st.composite
def flights(draw: st.DrawFn) -> Flight:
    carrier = draw(st.sampled_from(["KC", "LA", "U2", "9W", "DLH"]))
    number = draw(st.text(alphabet="0123456789", min_size=1, max_size=4))
    return Flight(
        flight_id=carrier + number,
        carrier=carrier,
        number=number,
        overflight=draw(st.booleans()),
        stops=draw(st.lists(stops(), max_size=3)),
    )


@st.composite
def travellers(draw: st.DrawFn, unicode: bool) -> Traveller:
    text = texts(unicode)
    address = draw(
        st.none()
        | st.builds(
            Address,
            street=opt(text),
            city=opt(text),
            region=opt(text),
            postcode=opt(text),
            country=opt(codes),
        ).filter(lambda a: any((a.street, a.city, a.region, a.postcode, a.country)))
    )
    weight = draw(st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False))
    bags = draw(
        st.none()
        | st.builds(
            BagInfo,
            count=st.none() | st.integers(0, 20),
            weight=st.just(weight),
            weight_unit=st.none() if weight is None else opt(st.sampled_from(["KGM", "LBR"])),
            tags=st.lists(
                st.text(alphabet="0123456789", min_size=1, max_size=10) | text, max_size=4
            ),
        ).filter(lambda b: b.count is not None or b.weight is not None or b.tags)
    )
    documents = draw(
        st.lists(
            st.builds(
                TravelDocument,
                number=text,
                doc_type=opt(st.sampled_from(["P", "V", "I", "A", "C"]) | text),
                expiry=st.none() | dates,
                issued=st.none() | dates,
                issuing_state=opt(codes),
            ),
            max_size=2,
        )
    )
    return Traveller(
        role=draw(st.sampled_from(list(TravellerRole))),
        surname=draw(text.filter(str.strip)),
        given_names=draw(opt(text)),
        middle_names=draw(opt(text)),
        gender=draw(opt(st.sampled_from(["M", "F", "U", "X"]))),
        date_of_birth=draw(st.none() | dates),
        nationality=draw(opt(codes)),
        residence_country=draw(opt(codes)),
        birth_place=draw(opt(text)),
        embarkation=draw(opt(codes)),
        debarkation=draw(opt(codes)),
        address=address,
        record_locator=draw(opt(text)),
        passenger_ref=draw(opt(text)),
        seat=draw(opt(text)),
        ticket=draw(opt(text)),
        customer_ref=draw(opt(text)),
        other_refs=draw(
            st.dictionaries(codes.filter(lambda q: q not in KNOWN_RFF), text, max_size=2)
        ),
        other_locations=draw(
            st.dictionaries(
                st.text(alphabet="0123456789", min_size=1, max_size=3).filter(
                    lambda q: q not in KNOWN_LOC
                ),
                codes,
                max_size=2,
            )
        ),
        contacts=draw(st.dictionaries(st.sampled_from(["TE", "EM", "FX", "AL"]), text, max_size=2)),
        bags=bags,
        documents=documents,
    )


@st.composite
def passenger_lists(draw: st.DrawFn) -> list[PassengerList]:
    unicode = draw(st.booleans())
    text = texts(unicode)
    interchange_ref = draw(text)
    sender, recipient = draw(text), draw(text)
    prepared_at = draw(minute_times)
    syntax = draw(st.sampled_from(["UNOW:4", "UNOY:4"] if unicode else ["UNOA:4", "UNOA:3"]))
    out = []
    for number in range(draw(st.integers(1, 2))):
        code = draw(st.sampled_from(["745", "250", "336", "266", "655"]))
        subcode = draw(st.none() | st.sampled_from(["CP", "XR", "CL", "CLOB", "CLNB", "XF", "CF"]))
        needs_flight = code in ("745", "250", "336")
        out.append(
            PassengerList(
                message_ref=f"M{number}{draw(text)}",
                directory=draw(st.sampled_from(["D02B", "D05B", "D12A"])),
                document_code=code,
                document_subcode=subcode,
                kind=kind_for(code),
                status=status_for(code, subcode),
                transaction_ref=draw(opt(text)),
                reporting_party=draw(
                    st.none()
                    | st.builds(
                        ReportingParty,
                        name=opt(text),
                        phone=opt(text),
                        fax=opt(text),
                        email=opt(text),
                    )
                ),
                flights=draw(st.lists(flights(), min_size=1 if needs_flight else 0, max_size=2)),
                travellers=draw(st.lists(travellers(unicode), max_size=4)),
                declared_passengers=draw(st.none() | st.integers(0, 999)),
                declared_crew=draw(st.none() | st.integers(0, 99)),
                interchange_ref=interchange_ref,
                sender=sender,
                recipient=recipient,
                prepared_at=prepared_at,
                syntax=syntax,
            )
        )
    return out


@settings(max_examples=120, deadline=2000)
@given(
    lists=passenger_lists(),
    separators=st.sampled_from(SEPARATOR_SETS),
    group=st.booleans(),
    newline=st.booleans(),
)
def test_read_write_round_trip(
    lists: list[PassengerList], separators: Separators, group: bool, newline: bool
) -> None:
    data = paxlst.write(lists, separators=separators, functional_group=group, newline=newline)
    back = paxlst.read(data)
    assert [comparable(pl) for pl in back] == [comparable(pl) for pl in lists]
    for pl in back:
        for t in pl.travellers:
            assert t.offset is not None
            assert data[t.offset : t.offset + 3] == b"NAD"
    again = paxlst.write(back, separators=separators, functional_group=group, newline=newline)
    assert again == data
    assert paxlst.read(again) == back  # positions and warnings included


def test_write_single_list_defaults() -> None:
    pl = PassengerList(
        flights=[Flight(flight_id="KC1", carrier="KC", number="1")],
        travellers=[Traveller(role=TravellerRole.PASSENGER, surname="ÖZTÜRK")],
    )
    data = paxlst.write(pl, sender="KC", recipient="KGZAPI")
    assert data.startswith(b"UNA:+.?*'\nUNB+UNOW:4+KC+KGZAPI'\nUNG+PAXLST+KC+KGZAPI")
    (back,) = paxlst.read(data)
    assert back.travellers[0].surname == "ÖZTÜRK"
    assert (back.message_ref, back.directory, back.syntax) == ("1", "D05B", "UNOW:4")
    assert (back.interchange_ref, back.prepared_at) == (None, None)  # written empty
    back.message_ref = back.directory = back.syntax = back.sender = back.recipient = None
    assert comparable(back) == comparable(pl)


def test_write_refuses_text_the_character_set_cannot_carry() -> None:
    pl = PassengerList(
        syntax="UNOA:4",
        flights=[Flight(flight_id="KC1", carrier="KC", number="1")],
        travellers=[Traveller(role=TravellerRole.PASSENGER, surname="ÖZTÜRK")],
    )
    try:
        paxlst.write(pl)
    except ValueError as exc:
        assert "UNOW:4" in str(exc)
    else:
        raise AssertionError("UNOA cannot carry Ö")


def test_write_status_without_subcode() -> None:
    from piu.domain.travel import FlightStatus

    pl = PassengerList(document_code="266", status=FlightStatus.CANCELLED)
    (back,) = paxlst.read(paxlst.write(pl))
    assert (back.document_subcode, back.status) == ("XF", FlightStatus.CANCELLED)
