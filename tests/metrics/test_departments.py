from aicode.metrics import DepartmentTotals, Filters, LinePair, department_totals
from tests.world import D1, D2, D3, World


def ids(world: World) -> dict[str, str]:
    return {d.path: d.id for d in world.store.list_departments(world.org)}


def test_every_department_in_one_pass(world: World) -> None:
    totals = department_totals(world.store, Filters.for_days(world.org.num, D1, D3))
    by_path = {path: totals.get(i) for path, i in ids(world).items()}
    assert by_path["Eng"] == DepartmentTotals(2, 3, LinePair(13, 2), LinePair(8, 1), 25, 8)
    assert by_path["Eng/Platform"] == DepartmentTotals(1, 2, LinePair(9, 2), LinePair(6, 1), 15, 5)
    assert by_path["Eng/Web"] == DepartmentTotals(1, 1, LinePair(4, 0), LinePair(2, 0), 10, 3)
    assert by_path["Eng"].ai_share_rate == 60.0
    assert by_path["Eng/Web"].acceptance_rate == 30.0


def test_filters_apply_inside_departments(world: World) -> None:
    day = department_totals(world.store, Filters.for_days(world.org.num, D2, D2))
    web = day[ids(world)["Eng/Web"]]
    assert (web.active_developers, web.commits, web.completions_suggested) == (1, 1, 8)
    assert ids(world)["Eng/Platform"] not in day
    py = department_totals(
        world.store, Filters.for_days(world.org.num, D1, D3).with_extensions(["py", "md"])
    )
    assert py[ids(world)["Eng"]].commits == 2
    assert py[ids(world)["Eng"]].lines == LinePair(9, 2)
