"""Passenger Name Records as read from a PNRGOV push (EDIFACT or XML).

Plain dataclasses: the readers build them, the writer serialises them, minimisation prunes
them, the store persists them. Field comments name the PNRGOV segment and group of the
IATA/WCO/ICAO PNRGOV EDIFACT Implementation Guide (IG 13.1, which reads 10.1 to 15.1 the
same way) each value comes from, so the mapping can be checked against the guide and against
the EU PNR Directive Annex I list (see :mod:`piu.privacy.minimise`).

Times: TVL dates and times are local to the airport (IG 13.1, TVL: "Dates and times in the
TVL are in Local Time"); ``*_utc`` is that time converted with the airport's time zone, or
``None`` when the airport or the time is unknown. DAT times are kept as sent (the guide says
UTC unless bilaterally agreed otherwise). Values are kept as sent (upper case, codes not
expanded) so that nothing is guessed; derived views are properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from piu.domain.travel import Address, TravelDocument

__all__ = [
    "BagDetail",
    "BagTag",
    "CheckIn",
    "CheckInEntry",
    "Contact",
    "DocaInfo",
    "DocoInfo",
    "DocsInfo",
    "ExcessBaggage",
    "Fare",
    "FlightSegment",
    "FrequentFlyer",
    "HistoryEntry",
    "HistoryItem",
    "MonetaryAmount",
    "NonAirSegment",
    "Originator",
    "Payment",
    "Pnr",
    "PnrAddress",
    "PnrPush",
    "PnrTraveller",
    "Pricing",
    "RecordLocator",
    "Remark",
    "SplitPnr",
    "Ssr",
    "SsrRef",
    "Tax",
    "Ticket",
]


@dataclass(slots=True, kw_only=True)
class RecordLocator:
    """RCI (Gr1, Gr5, Gr8): a reservation system and its locator for this booking.

    IG 13.1 RCI C330: 9906 company (airline or CRS), 8012 locator, 9958 reservation control
    type, 9916 creation date (DDMMYY), 9994 creation time (HHMM, sometimes HHMMSS).
    """

    system: str | None = None
    locator: str | None = None
    control_type: str | None = None
    created: datetime | None = None


@dataclass(slots=True, kw_only=True)
class Originator:
    """ORG (level 0: who sends the push; Gr1: who made the booking; Gr6: check-in agent).

    IG 13.1 ORG: C336 system (airline/CRS and city), C300 originator (IATA travel agency
    number and in-house office id), 3225 location, second C336 (company and city), 9972
    originator type (A airline, T travel agent, E ...), C354 country, currency, language,
    9904 agent sign, then the ERSP and duty codes.
    """

    airline: str | None = None
    location: str | None = None
    agency_id: str | None = None  # IATA / ARC number of the travel agency
    office_id: str | None = None
    office_location: str | None = None
    system_company: str | None = None
    system_location: str | None = None
    originator_type: str | None = None
    country: str | None = None
    currency: str | None = None
    language: str | None = None
    agent_sign: str | None = None
    ersp: str | None = None
    duty_code: str | None = None


@dataclass(slots=True, kw_only=True)
class SsrRef:
    """One reference element of an SSR (IG 13.1 SSR C332): seat, seat detail, traveller."""

    seat: str | None = None
    detail: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True, kw_only=True)
class Ssr:
    """SSR (Gr1, Gr2, Gr5, Gr11): a special service request as sent.

    IG 13.1 SSR C334: 4440 code (DOCS, SEAT, AVML...), 4405 status (HK...), 6060 number of
    services, 3127 carrier, two unused components, 3225 board point, 3225 off point, 4440
    free text; then C332 references (seat, seat detail, traveller reference), repeated.
    """

    code: str
    status: str | None = None
    quantity: str | None = None
    carrier: str | None = None
    board: str | None = None
    off: str | None = None
    text: str | None = None
    refs: list[SsrRef] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Remark:
    """IFT (Gr1, Gr2, Gr4, Gr5, Gr11): free text.

    IG 13.1 IFT C346: 4451 subject qualifier (4), 9980 information type (28 OSI, 15 fare
    calculation, 43 sponsor/payer, 19 history text, 63 ...), a sub-code, 3127 carrier; then
    the text lines, one per data element.
    """

    qualifier: str | None = None
    info_type: str | None = None
    subcode: str | None = None
    carrier: str | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(slots=True, kw_only=True)
class Contact:
    """A phone number or e-mail address, wherever it was found (Annex I item 5).

    ``kind`` is ``email``, ``mobile``, ``home``, ``business``, ``agency`` or ``phone``;
    ``source`` says where it was written (``SSR CTCE``, ``OSI CTCM``, ``ADD``). E-mails are
    decoded from the AIRIMP transport form (``//`` for ``@``, ``..`` for ``_``, ``./``
    for ``-``).
    """

    kind: str
    value: str
    source: str
    carrier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True, kw_only=True)
class PnrAddress:
    """ADD (Gr1, Gr2, Gr4): an address with its purpose and a phone number.

    IG 13.1 ADD C031: 3299 purpose (700 home? 701, 702 ... as sent), 3042 street, 3164 city,
    3229 state, a county component, 3207 country, 3251 postcode, 3148 telephone.
    """

    purpose: str | None = None
    address: Address = field(default_factory=Address)
    county: str | None = None
    phone: str | None = None


@dataclass(slots=True, kw_only=True)
class FrequentFlyer:
    """FTI (Gr2) or SSR FQTV: frequent flyer programme, number and tier."""

    carrier: str | None = None
    number: str | None = None
    tier: str | None = None
    source: str = "FTI"


@dataclass(slots=True, kw_only=True)
class ExcessBaggage:
    """EBD (Gr1, Gr2): excess baggage charged: currency, amount, pieces or weight."""

    currency: str | None = None
    amount: str | None = None
    quantity: str | None = None
    weight: str | None = None
    unit: str | None = None  # N pieces, K kilograms, L pounds, as sent


@dataclass(slots=True, kw_only=True)
class Fare:
    """FAR (Gr2): fare indicator, age, and the fare basis / ticket designator codes."""

    indicator: str | None = None
    age: str | None = None
    codes: list[str] = field(default_factory=list)  # elements 3.. as sent


@dataclass(slots=True, kw_only=True)
class MonetaryAmount:
    """MON C663 (Gr3): B base fare, T total, E equivalent ... with amount and currency."""

    qualifier: str
    amount: str | None = None
    currency: str | None = None


@dataclass(slots=True, kw_only=True)
class Pricing:
    """PTK (Gr3): pricing and ticketing details, kept as sent element by element."""

    indicator: str | None = None  # NR non-refundable ...
    issued: datetime | None = None  # element 3 date:time
    carrier: str | None = None
    airline_code: str | None = None
    location: str | None = None


@dataclass(slots=True, kw_only=True)
class Tax:
    """TXD C668 (Gr3): one tax: amount, currency, country/code fields as sent."""

    amount: str | None = None
    detail: str | None = None
    currency: str | None = None
    code: str | None = None


@dataclass(slots=True, kw_only=True)
class Payment:
    """FOP (Gr4) with its payer IFT and billing ADD (Annex I item 6).

    IG 13.1 FOP C641: 9888 type (CC credit card, CA cash, MS miscellaneous, GR government
    receipt, CK cheque...), a data indicator, 5004 amount, 9906 card vendor, 1154 card
    number (masked by the airline), 9848 expiry (MMYY).
    """

    fop_type: str | None = None
    indicator: str | None = None
    amount: str | None = None
    card_type: str | None = None
    card_number: str | None = None  # as sent; airlines mask all but the last digits
    card_expiry: str | None = None
    payer: Remark | None = None  # IFT+4:43 cardholder / sponsor
    billing_address: PnrAddress | None = None

    @property
    def card_number_masked(self) -> str | None:
        """The card number with every digit but the last four replaced by X."""
        n = self.card_number
        if not n:
            return n
        keep = 4
        digits = sum(c.isdigit() for c in n)
        out = []
        for c in n:
            if c.isdigit() and digits > keep:
                out.append("X")
                digits -= 1
            else:
                out.append(c)
        return "".join(out)


@dataclass(slots=True, kw_only=True)
class Ticket:
    """Gr3: TKT with MON, PTK, TXD, DAT+710 and the Gr4 forms of payment."""

    number: str | None = None
    doc_type: str | None = None  # T ticket, ...
    booklets: str | None = None
    amounts: list[MonetaryAmount] = field(default_factory=list)
    pricing: Pricing | None = None
    taxes: list[Tax] = field(default_factory=list)
    issued: datetime | None = None
    payments: list[Payment] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class DocsInfo:
    """SSR DOCS (AIRIMP): the travel document and identity data (Annex I item 18).

    ``/type/issuing state/number/nationality/DOB/gender/expiry/surname/given/middle/H``.
    Partial forms (``/////05FEB53/F//DORON/NINA``) leave the missing fields ``None``.
    """

    doc_type: str | None = None
    issuing_state: str | None = None
    number: str | None = None
    nationality: str | None = None
    date_of_birth: date | None = None
    gender: str | None = None
    expiry: date | None = None
    surname: str | None = None
    given_names: str | None = None
    middle_names: str | None = None
    holder: str | None = None
    status: str | None = None
    carrier: str | None = None
    traveller_ref: str | None = None

    def document(self) -> TravelDocument | None:
        """The document as an API :class:`TravelDocument` (``None`` without a number)."""
        if not self.number:
            return None
        return TravelDocument(
            number=self.number,
            doc_type=self.doc_type,
            expiry=self.expiry,
            issuing_state=self.issuing_state,
        )


@dataclass(slots=True, kw_only=True)
class DocoInfo:
    """SSR DOCO: place of birth and visa or other document (Annex I item 18)."""

    birth_place: str | None = None
    doc_type: str | None = None
    number: str | None = None
    issue_place: str | None = None
    issued: date | None = None
    applicable_country: str | None = None
    infant: bool = False
    status: str | None = None
    carrier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True, kw_only=True)
class DocaInfo:
    """SSR DOCA: residence (R) or destination (D) address (Annex I items 5 and 18)."""

    address_type: str | None = None
    address: Address = field(default_factory=Address)
    infant: bool = False
    status: str | None = None
    carrier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True, kw_only=True)
class PnrTraveller:
    """Gr2: one traveller of the booking (TIF) and what belongs to them.

    IG 13.1 TIF: C322 surname and qualifier, C324 given name (titles included as sent),
    6353 type (A adult, C child, IN infant, G group), 9944 traveller reference, and the
    accompanied-by-infant indicator. ``segment_index``/``offset`` point at the TIF.
    """

    surname: str
    surname_qualifier: str | None = None
    given_names: str | None = None
    traveller_type: str | None = None
    ref: str | None = None
    with_infant: str | None = None  # TIF C324 component 4 ("1": accompanied by an infant)
    unique_ref: str | None = None  # REF
    frequent_flyer: list[FrequentFlyer] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    excess_baggage: list[ExcessBaggage] = field(default_factory=list)
    fare: Fare | None = None
    ssrs: list[Ssr] = field(default_factory=list)  # those not parsed into fields below
    docs: list[DocsInfo] = field(default_factory=list)
    doco: list[DocoInfo] = field(default_factory=list)
    doca: list[DocaInfo] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[PnrAddress] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    segment_index: int | None = None
    offset: int | None = None

    @property
    def is_infant(self) -> bool:
        return self.traveller_type == "IN"

    @property
    def documents(self) -> list[TravelDocument]:
        return [d for d in (x.document() for x in self.docs) if d is not None]

    @property
    def date_of_birth(self) -> date | None:
        return next((d.date_of_birth for d in self.docs if d.date_of_birth), None)

    @property
    def gender(self) -> str | None:
        return next((d.gender for d in self.docs if d.gender), None)

    @property
    def nationality(self) -> str | None:
        return next((d.nationality for d in self.docs if d.nationality), None)


@dataclass(slots=True, kw_only=True)
class BagTag:
    """One baggage tag reference of a TBD: issuer, tag number, consecutive count, destination."""

    issuer: str | None = None
    number: str | None = None
    count: str | None = None
    destination: str | None = None
    extra: str | None = None


@dataclass(slots=True, kw_only=True)
class BagDetail:
    """TBD (Gr7, Gr11): checked bags: count, weight and unit, pool, tags (Annex I item 16).

    IG 13.1 TBD: status, C675 (6060 count, 6314 weight, 6411 unit: 700 kg, 701 lb),
    a third element, pool indicator (HP head of pool, MP member of pool), then tags.
    """

    status: str | None = None
    count: str | None = None
    weight: str | None = None
    unit: str | None = None
    third: str | None = None
    pool: str | None = None
    tags: list[BagTag] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class CheckInEntry:
    """Gr7: TRI (check-in sequence and traveller reference), TIF, SSD seat, TBD bags."""

    sequence: str | None = None
    traveller_ref: str | None = None
    surname: str | None = None
    given_names: str | None = None
    traveller_type: str | None = None
    tif_ref: str | None = None
    seat: str | None = None  # SSD element 1
    cabin: str | None = None  # SSD element 5
    bags: BagDetail | None = None


@dataclass(slots=True, kw_only=True)
class CheckIn:
    """Gr6: DAT+2 check-in time (departure control data), ORG agent, Gr7 entries."""

    checked_in: datetime | None = None
    qualifier: str | None = None
    agent: Originator | None = None
    entries: list[CheckInEntry] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class FlightSegment:
    """TVL (level 0 and Gr5, Gr12): one flight with its code share, status and check-in.

    IG 13.1 TVL: C310 departure date/time, arrival date/time (local); 3225 board point;
    3225 off point; C306 marketing and operating carrier; C308 flight number and booking
    class. TRA (or a bare TVL carrying only a flight number) gives the operating flight of a
    code share; RPI the party size and status (HK, HN, ...); APD the equipment.
    """

    departure_date: date | None = None
    departure_time: time | None = None
    arrival_date: date | None = None
    arrival_time: time | None = None
    departure_utc: datetime | None = None
    arrival_utc: datetime | None = None
    origin: str | None = None
    destination: str | None = None
    marketing_carrier: str | None = None
    operating_carrier: str | None = None
    flight_number: str | None = None
    booking_class: str | None = None
    operating_flight_number: str | None = None  # TRA or bare TVL
    operating_class: str | None = None
    party_size: str | None = None  # RPI element 1
    status: str | None = None  # RPI element 2
    equipment: str | None = None  # APD
    ssrs: list[Ssr] = field(default_factory=list)
    locators: list[RecordLocator] = field(default_factory=list)  # Gr5 RCI
    remarks: list[Remark] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)

    @property
    def departure_local(self) -> datetime | None:
        if self.departure_date is None:
            return None
        return datetime.combine(self.departure_date, self.departure_time or time())

    @property
    def arrival_local(self) -> datetime | None:
        if self.arrival_date is None:
            return None
        return datetime.combine(self.arrival_date, self.arrival_time or time())

    @property
    def is_code_share(self) -> bool:
        return bool(
            (self.operating_carrier and self.operating_carrier != self.marketing_carrier)
            or self.operating_flight_number
        )

    @property
    def seats(self) -> list[tuple[str | None, str]]:
        """(traveller reference, seat) from SSR SEAT and the check-in SSD."""
        out: list[tuple[str | None, str]] = []
        for s in self.ssrs:
            if s.code in ("SEAT", "NSST", "SMST", "RQST"):
                out.extend((r.traveller_ref, r.seat) for r in s.refs if r.seat)
        for c in self.check_ins:
            out.extend((e.traveller_ref, e.seat) for e in c.entries if e.seat)
        return out


@dataclass(slots=True, kw_only=True)
class SplitPnr:
    """Gr8: EQN (number of travellers split off) and the RCI of the other booking."""

    count: str | None = None
    locators: list[RecordLocator] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class NonAirSegment:
    """Gr9: MSG (8 hotel, 9 car, ...) and its TVL details, kept element by element."""

    kind: str | None = None
    details: list[list[list[str]]] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class HistoryItem:
    """Gr11: SAC (A added, X cancelled ...) with the item it concerns."""

    action: str | None = None
    traveller: CheckInEntry | None = None  # TIF (name fields only)
    ssr: Ssr | None = None
    remark: Remark | None = None
    bags: BagDetail | None = None
    flight: FlightSegment | None = None  # Gr12 TVL + RPI


@dataclass(slots=True, kw_only=True)
class HistoryEntry:
    """Gr10: ABI (who changed the booking, where) with DAT and the Gr11 items."""

    action: str | None = None  # ABI element 1
    agent: str | None = None
    office: str | None = None
    location: str | None = None
    company: str | None = None
    when: datetime | None = None
    date_qualifier: str | None = None
    items: list[HistoryItem] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Pnr:
    """Gr1: one booking (SRC ... up to the next SRC).

    ``segment_index``/``offset`` point at the SRC segment of the raw message.
    """

    locators: list[RecordLocator] = field(default_factory=list)
    last_modified: datetime | None = None  # DAT 700
    ticketed: datetime | None = None  # DAT 710 (Gr1)
    other_dates: dict[str, datetime] = field(default_factory=dict)
    ssrs: list[Ssr] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    originator: Originator | None = None
    addresses: list[PnrAddress] = field(default_factory=list)
    excess_baggage: list[ExcessBaggage] = field(default_factory=list)
    travellers: list[PnrTraveller] = field(default_factory=list)
    itinerary: list[FlightSegment] = field(default_factory=list)
    splits: list[SplitPnr] = field(default_factory=list)
    non_air: list[NonAirSegment] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    history_text: list[str] = field(default_factory=list)  # LTS
    segment_index: int | None = None
    offset: int | None = None

    @property
    def record_locator(self) -> str | None:
        """The first locator (the sending carrier's, by IG 13.1 convention)."""
        return next((r.locator for r in self.locators if r.locator), None)

    @property
    def carrier(self) -> str | None:
        return next((r.system for r in self.locators if r.system), None)

    @property
    def created(self) -> datetime | None:
        return next((r.created for r in self.locators if r.created), None)

    def all_contacts(self) -> list[Contact]:
        """Contacts of the booking and of each traveller, plus address phone numbers."""
        out = list(self.contacts)
        for a in self.addresses:
            if a.phone:
                out.append(Contact(kind="phone", value=a.phone, source="ADD"))
        for t in self.travellers:
            out.extend(t.contacts)
            for a in t.addresses:
                if a.phone:
                    out.append(
                        Contact(kind="phone", value=a.phone, source="ADD", traveller_ref=t.ref)
                    )
        return out


@dataclass(slots=True, kw_only=True)
class PnrPush:
    """One PNRGOV message (UNH..UNT): the push header and its bookings.

    ``push_type`` is MSG 1225: ``"22"`` full push, ``"141"`` update (changed PNRs only).
    ``declared_pnrs`` is the level-0 EQN: the number of PNRs in the whole push, which may
    be spread over several messages (``sequence``/``sequence_mark`` from UNH 0070/0073).
    ``filtering`` is the minimisation log: which element was removed under which rule,
    never the value.
    """

    message_ref: str | None = None
    interchange_ref: str | None = None
    sender: str | None = None
    recipient: str | None = None
    prepared_at: datetime | None = None
    version: str | None = None  # "13.1"
    common_access_ref: str | None = None
    sequence: str | None = None
    sequence_mark: str | None = None  # C first, F last (UNH S010)
    push_type: str | None = None
    originator: Originator | None = None
    flight: FlightSegment | None = None
    declared_pnrs: int | None = None
    pnrs: list[Pnr] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    filtering: list[str] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.push_type == "141"

    @property
    def traveller_count(self) -> int:
        return sum(len(p.travellers) for p in self.pnrs)
