"""PNR pushes (PNRGOV) for a planned flight, as the booking looked at each push time.

Why a snapshot per push: a PIU sees a booking evolve. At T-72h the booking has the names as
the agent typed them, perhaps no passport data; by T-24h online check-in has added DOCS and
seats; at T-2h a typo may have been corrected, a traveller split into a booking of their
own, a late booking appeared, another cancelled; the closing push carries the check-in
data (seats, bags, who did not turn up). :func:`push_at` builds the booking state at one
instant from the :class:`FlightPlan`, which records *when* each of those things happened.

The objects are the PNR domain of :mod:`piu.domain.booking`; bytes come from
:func:`piu.formats.pnrgov.write`. While that writer is not usable (:func:`available` says
so), the generator produces API lists only and the ground truth records that PNR pushes
were skipped.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from piu.domain.booking import (
    BagDetail,
    BagTag,
    CheckIn,
    CheckInEntry,
    Contact,
    DocsInfo,
    FlightSegment,
    HistoryEntry,
    HistoryItem,
    MonetaryAmount,
    Originator,
    Payment,
    Pnr,
    PnrPush,
    PnrTraveller,
    RecordLocator,
    SplitPnr,
    Ssr,
    SsrRef,
    Ticket,
)
from piu.synth.names import passport_name
from piu.synth.routes import Departure
from piu.synth.travellers import Booking, FlightPlan, Passenger

__all__ = ["RECIPIENT_PNR", "available", "push_at", "write"]

RECIPIENT_PNR = "KGZPNR"


def _naive(t: datetime) -> datetime:
    return t.replace(tzinfo=None, second=0, microsecond=0)


def _segment(
    dep: Departure, *, booking_class: str | None = None, party: int | None = None
) -> FlightSegment:
    return FlightSegment(
        departure_date=dep.departure_local.date(),
        departure_time=dep.departure_local.time(),
        arrival_date=dep.arrival_local.date(),
        arrival_time=dep.arrival_local.time(),
        origin=dep.origin,
        destination=dep.destination,
        marketing_carrier=dep.carrier,
        flight_number=dep.number,
        booking_class=booking_class,
        party_size=str(party) if party is not None else None,
        status="HK" if party is not None else None,
    )


def _name(p: Passenger, at: datetime) -> tuple[str, str]:
    if p.corrected_at is not None and at >= p.corrected_at:
        surname, given, middle = passport_name(p.person.name)
        return surname, given + (f" {middle}" if middle else "")
    return p.typed.surname, p.typed.given


def _docs(p: Passenger, carrier: str, ref: str) -> DocsInfo:
    surname, given, middle = passport_name(p.person.name)
    person = p.person
    return DocsInfo(
        doc_type="P",
        issuing_state=person.nationality,
        number=person.doc_number,
        nationality=person.nationality,
        date_of_birth=person.dob,
        gender=person.gender + ("I" if p.kind == "IN" else ""),
        expiry=person.doc_expiry,
        surname=surname,
        given_names=given,
        middle_names=middle,
        status="HK",
        carrier=carrier,
        traveller_ref=ref,
    )


def _traveller(p: Passenger, ref: str, b: Booking, at: datetime, carrier: str) -> PnrTraveller:
    surname, given = _name(p, at)
    t = PnrTraveller(
        surname=surname,
        given_names=given,
        traveller_type=p.kind,
        ref=ref,
    )
    if p.docs_at is not None and at >= p.docs_at:
        t.docs.append(_docs(p, carrier, ref))
    if p.kind != "IN":
        amount = f"{180 + (int(p.ticket[-4:]) % 420)}.00"
        payment = Payment(fop_type=b.payment, amount=amount)
        if b.card is not None:
            payment.card_type = b.card[:2]
            payment.card_number = "XXXXXXXXXXXX" + b.card[-4:]
            payment.card_expiry = f"{int(b.card[2:4]) % 12 + 1:02d}{28 + int(b.card[4]) % 4}"
        t.tickets.append(
            Ticket(
                number=p.ticket,
                doc_type="T",
                amounts=[MonetaryAmount(qualifier="T", amount=amount, currency="USD")],
                issued=_naive(b.created + timedelta(minutes=20)),
                payments=[payment],
            )
        )
    return t


def _pnr(
    b: Booking, passengers: list[Passenger], plan: FlightPlan, at: datetime, locator: str
) -> Pnr:
    dep = plan.departure
    carrier = dep.carrier
    pnr = Pnr(
        locators=[RecordLocator(system=carrier, locator=locator, created=_naive(b.created))],
        last_modified=_naive(min(at, max(b.created, at - timedelta(hours=1)))),
    )
    if b.agency is not None:
        _agency_name, city, number = b.agency
        pnr.originator = Originator(
            airline="1A",
            location=city,
            agency_id=number,
            originator_type="T",
            country="KG",
            currency="KGS",
        )
    else:
        pnr.originator = Originator(airline=carrier, location=dep.origin, originator_type="A")
    first = b.passengers[0].person
    pnr.contacts.append(
        Contact(kind="mobile", value=first.phone, source="SSR CTCM", carrier=carrier)
    )
    if first.email:
        pnr.contacts.append(
            Contact(kind="email", value=first.email.upper(), source="SSR CTCE", carrier=carrier)
        )
    for i, p in enumerate(passengers, 1):
        pnr.travellers.append(_traveller(p, str(i), b, at, carrier))
    booked_class = "Y" if b.agency is None else "M"
    seg = _segment(dep, booking_class=booked_class, party=len(passengers))
    seats: list[SsrRef] = []
    entries: list[CheckInEntry] = []
    for i, p in enumerate(passengers, 1):
        if p.checked_in_at is not None and at >= p.checked_in_at:
            if p.seat:
                seats.append(SsrRef(seat=p.seat, traveller_ref=str(i)))
            bags = None
            if p.bags:
                bags = BagDetail(
                    count=str(p.bags),
                    weight=str(int(p.bag_weight)),
                    unit="700",
                    tags=[
                        BagTag(
                            issuer=carrier,
                            number=p.bag_tags[0],
                            count=str(len(p.bag_tags)),
                            destination=dep.destination,
                        )
                    ],
                )
            surname, given = _name(p, at)
            entries.append(
                CheckInEntry(
                    sequence=str(len(entries) + 1),
                    traveller_ref=str(i),
                    surname=surname,
                    given_names=given,
                    seat=p.seat,
                    bags=bags,
                )
            )
    if seats:
        seg.ssrs.append(
            Ssr(
                code="SEAT",
                status="HK",
                quantity=str(len(seats)),
                carrier=carrier,
                board=dep.origin,
                off=dep.destination,
                refs=seats,
            )
        )
    if entries:
        done = [p.checked_in_at for p in passengers if p.checked_in_at and p.checked_in_at <= at]
        seg.check_ins.append(CheckIn(checked_in=_naive(max(done)), qualifier="2", entries=entries))
    pnr.itinerary.append(seg)
    if b.rebooked_at is not None and b.rebooked_from is not None:
        pnr.history.append(_rebooking(b, dep, seg, len(passengers)))
    if b.onward is not None:
        airport, flight = b.onward
        later = dep.arrival_local + timedelta(hours=3)
        pnr.itinerary.append(
            FlightSegment(
                departure_date=later.date(),
                departure_time=later.time().replace(second=0, microsecond=0),
                origin=dep.destination,
                destination=airport,
                marketing_carrier=flight[:2],
                flight_number=flight[2:],
                booking_class=booked_class,
                party_size=str(len(passengers)),
                status="HK",
            )
        )
    if b.return_after is not None:
        back = dep.departure_local + timedelta(days=b.return_after)
        hour, minute = dep.route.returns if dep.outbound else dep.route.departs
        back = back.replace(hour=hour, minute=minute)
        pnr.itinerary.append(
            FlightSegment(
                departure_date=back.date(),
                departure_time=back.time(),
                origin=dep.destination,
                destination=dep.origin,
                marketing_carrier=dep.carrier,
                flight_number=str(dep.route.number + (1 if dep.outbound else 0)),
                booking_class=booked_class,
                party_size=str(len(passengers)),
                status="HK",
            )
        )
    return pnr


def _rebooking(b: Booking, dep: Departure, new: FlightSegment, party: int) -> HistoryEntry:
    """The history of a rebooking: the old flight cancelled (SAC X), this one added (A)."""
    assert b.rebooked_at is not None and b.rebooked_from is not None
    old = FlightSegment(
        departure_date=b.rebooked_from,
        departure_time=dep.departure_local.time(),
        origin=dep.origin,
        destination=dep.destination,
        marketing_carrier=dep.carrier,
        flight_number=dep.number,
        booking_class=new.booking_class,
        party_size=str(party),
        status="HK",
    )
    added = FlightSegment(
        departure_date=new.departure_date,
        departure_time=new.departure_time,
        origin=dep.origin,
        destination=dep.destination,
        marketing_carrier=dep.carrier,
        flight_number=dep.number,
        booking_class=new.booking_class,
        party_size=str(party),
        status="HK",
    )
    return HistoryEntry(
        action="1",
        agent="0001AA",
        office="FRU1A0955" if b.agency else None,
        location=dep.origin,
        company=dep.carrier,
        when=_naive(b.rebooked_at),
        date_qualifier="ZT",
        items=[HistoryItem(action="X", flight=old), HistoryItem(action="A", flight=added)],
    )


def _bookings_at(plan: FlightPlan, at: datetime) -> list[Pnr]:
    out = []
    for b in plan.bookings:
        on_flight = b.rebooked_at or b.created
        if on_flight > at or (b.cancelled_at is not None and b.cancelled_at <= at):
            continue
        passengers = list(b.passengers)
        if b.split_at is not None and at >= b.split_at and b.split_locator:
            gone = passengers.pop()
            main = _pnr(b, passengers, plan, at, b.locator)
            other = _pnr(b, [gone], plan, at, b.split_locator)
            main.splits.append(
                SplitPnr(
                    count="1",
                    locators=[
                        RecordLocator(system=plan.departure.carrier, locator=b.split_locator)
                    ],
                )
            )
            other.splits.append(
                SplitPnr(
                    count=str(len(passengers)),
                    locators=[RecordLocator(system=plan.departure.carrier, locator=b.locator)],
                )
            )
            out += [main, other]
        else:
            out.append(_pnr(b, passengers, plan, at, b.locator))
    return out


def push_at(plan: FlightPlan, at: datetime, serial: str) -> PnrPush:
    """A full push (MSG 22) of every booking on the flight as it stood at ``at`` (UTC)."""
    dep = plan.departure
    pnrs = _bookings_at(plan, at)
    return PnrPush(
        message_ref=serial[-14:],
        interchange_ref=serial[-14:],
        sender=f"{dep.carrier}RES",
        recipient=RECIPIENT_PNR,
        prepared_at=_naive(at),
        version="13.1",
        push_type="22",
        originator=Originator(airline=dep.carrier, location=dep.origin, originator_type="A"),
        flight=_segment(dep),
        declared_pnrs=len(pnrs),
        pnrs=pnrs,
    )


@functools.cache
def available() -> bool:
    """True when :func:`piu.formats.pnrgov.write` works (it is being written alongside).

    Checked once by writing and reading back a one-booking push: an import error, a
    ``NotImplementedError`` or a push that does not read back all mean "API only".
    """
    try:
        from piu.formats import pnrgov

        probe = PnrPush(
            message_ref="1",
            interchange_ref="1",
            sender="XXRES",
            recipient=RECIPIENT_PNR,
            prepared_at=datetime(2026, 1, 1, 12, 0),
            version="13.1",
            push_type="22",
            declared_pnrs=1,
            pnrs=[
                Pnr(
                    locators=[RecordLocator(system="XX", locator="ABC123")],
                    travellers=[PnrTraveller(surname="PROBE", given_names="TEST", ref="1")],
                )
            ],
        )
        back = pnrgov.read(pnrgov.write([probe]))
        return bool(back) and back[0].pnrs[0].travellers[0].surname == "PROBE"
    except Exception:
        return False


def write(push: PnrPush) -> bytes:
    """The push as PNRGOV EDIFACT bytes (only call when :func:`available`)."""
    from piu.formats import pnrgov

    return pnrgov.write([push])
