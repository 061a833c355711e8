"""Query counts and timings of the home page and the organisation pages, per persona.

Builds a province of N agencies x U units x P people in a throwaway SQLite
database, signs in as each persona and requests each page a few times. Prints
figures only: query counts belong in tests (assertNumQueries), times do not.

    .venv/bin/python bench/home_queries.py --agencies 50 --units 10 --people 30
"""

from __future__ import annotations

import argparse
import time

from common import measure, print_figures, print_header, throwaway_database


def build(agencies: int, units: int, people: int) -> dict[str, int]:
    """Create the province; return the user id of each persona."""
    from django.db import transaction

    from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User

    with transaction.atomic():
        province = Agency.objects.create(
            code="province", kind=AgencyKind.PROVINCE, name="Ủy ban nhân dân tỉnh Bench", short_name="UBND tỉnh"
        )
        Agency.objects.bulk_create(
            Agency(
                code=f"agency-{a}",
                kind=AgencyKind.DEPARTMENT,
                parent=province,
                province=province,  # bulk_create skips Agency.save, which sets it
                name=f"Sở số {a} tỉnh Bench",
                short_name=f"Sở số {a}",
                abbreviation=f"S{a}",
                place_name="Bench",
            )
            for a in range(agencies)
        )
        agency_list = list(Agency.objects.filter(parent=province).order_by("pk"))
        Unit.objects.bulk_create(
            Unit(agency=agency, name=f"Phòng {u}", abbreviation=f"P{u}", is_coordinator=u == 0, order=u)
            for agency in agency_list
            for u in range(units)
        )
        unit_list = list(Unit.objects.order_by("agency_id", "order"))

        users: list[User] = []
        memberships: list[tuple[int, Unit, str]] = []
        for unit in unit_list:
            for p in range(people):
                n = len(users)
                users.append(
                    User(
                        username=f"u{n}",
                        full_name=f"Nguyễn Văn {n}",
                        # Every third person without an e-mail: the home page counts them.
                        email="" if n % 3 == 0 else f"u{n}@bench.local",
                        password="!",
                    )
                )
                if unit.is_coordinator:
                    role = {0: Role.COORDINATOR, 1: Role.LEADER}.get(p, Role.STAFF)
                else:
                    role = Role.UNIT_HEAD if p == 0 else Role.STAFF
                memberships.append((n, unit, role))
        users.append(User(username="admin", full_name="Quản trị Bench", password="!", is_superuser=True))
        users.append(User(username="overseer", full_name="Thanh tra Bench", password="!"))
        User.objects.bulk_create(users, batch_size=2000)
        ids = dict(User.objects.values_list("username", "pk"))
        rows = [
            Membership(
                user_id=ids[f"u{n}"],
                agency_id=unit.agency_id,
                unit=None if role == Role.LEADER else unit,
                role=role,
            )
            for n, unit, role in memberships
        ]
        home_affairs = agency_list[0]
        rows.append(Membership(user_id=ids["admin"], agency=home_affairs, role=Role.ADMIN))
        rows.append(Membership(user_id=ids["overseer"], agency=home_affairs, role=Role.OVERSEER))
        Membership.objects.bulk_create(rows, batch_size=2000)

    # The personas work in the second agency (the first is Home Affairs).
    first = units * people
    return {
        "admin": ids["admin"],
        "overseer": ids["overseer"],
        "coordinator": ids[f"u{first}"],
        "leader": ids[f"u{first + 1}"],
        "unit_head": ids[f"u{first + people}"],
        "staff": ids[f"u{first + people + 1}"],
    }


def pages(persona_id: int) -> list[tuple[str, str]]:
    """The home page and every org list and detail page, for the persona's own agency, unit and person."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    from accounts.models import Membership

    membership = Membership.objects.filter(user_id=persona_id).order_by("pk").first()
    assert membership is not None
    agency_id = membership.agency_id
    unit_id = membership.unit_id or membership.agency.units.order_by("order").values_list("pk", flat=True)[0]
    person_id = persona_id
    found = [("home", reverse("front:home"))]
    org = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and getattr(p, "namespace", "") == "org"
    )
    # The pk of a route is the object its first segment names: agencies/<pk>/people/ is an agency's.
    pks = {"agencies": agency_id, "units": unit_id, "people": person_id}
    for pattern in org.url_patterns:
        if not isinstance(pattern, URLPattern) or not pattern.name or not pattern.name.endswith(("_list", "_detail")):
            continue
        name = f"org:{pattern.name}"
        converters = list(pattern.pattern.converters)
        if not converters:
            found.append((name, reverse(name)))
        elif converters == ["pk"]:
            segment = str(pattern.pattern).split("/")[0]
            if segment in pks:
                found.append((name, reverse(name, args=[pks[segment]])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--units", type=int, default=10, help="units per agency")
    parser.add_argument("--people", type=int, default=30, help="people per unit")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page")
    args = parser.parse_args()
    if args.agencies < 2 or args.units < 2 or args.people < 2:
        parser.error("--agencies, --units and --people must be at least 2")

    with throwaway_database():
        started = time.perf_counter()
        personas = build(args.agencies, args.units, args.people)
        total = args.agencies * args.units * args.people
        print(
            f"Built {args.agencies} agencies x {args.units} units x {args.people} people "
            f"({total} people) in {time.perf_counter() - started:.1f} s (SQLite, DEBUG=1)\n"
        )
        print_header()
        for persona, user_id in personas.items():
            print_figures(measure(persona, user_id, pages(user_id), args.repeat))


if __name__ == "__main__":
    main()
