"""The recommendation engine on plain data: who ranks whom first, and why."""

from dataclasses import replace

from investpromo.matchmaking.engine import Profile, Weights, recommend

# A small event shaped like the real ones: one visiting enterprise from Shenzhen that wants to
# make graphene thermal film, a Harbin park that offers land for graphene industry, and others
# whose profiles overlap theirs only a little.
SEEKER = Profile(
    id=1,
    name="深圳某导热材料公司（虚构）",
    host=False,
    seeks="寻求石墨烯导热膜生产基地",
    offers="石墨烯导热膜量产技术",
    sei=frozenset({3}),
    industry_classes=frozenset({"3985"}),
    region_path=("440305", "440300", "440000"),
    regions_of_interest=frozenset({"230100"}),
    size_min=10000,
    size_max=50000,
    cooperation_modes=frozenset({"独资", "合资"}),
)
PARK = Profile(
    id=2,
    name="哈尔滨某新材料产业园（虚构）",
    host=True,
    offers="提供石墨烯产业园用地和标准厂房",
    seeks="引进石墨烯下游应用企业",
    sei=frozenset({3}),
    industry_classes=frozenset({"3089"}),
    region_path=("230109", "230100", "230000"),
    regions_of_interest=frozenset(),
    size_min=5000,
    size_max=None,
    cooperation_modes=frozenset({"合资"}),
)
SOY_BUREAU = Profile(
    id=3,
    name="某县农业农村局（虚构）",
    host=True,
    offers="大豆种植基地和粮食仓储",
    seeks="大豆深加工企业",
    sei=frozenset(),
    industry_classes=frozenset({"1331"}),
    region_path=("230183", "230100", "230000"),
)
BATTERY_MAKER = Profile(
    id=4,
    name="宁波某电池材料公司（虚构）",
    host=False,
    offers="锂电池负极材料",
    seeks="石墨矿产资源和生产用地",
    sei=frozenset({3, 5}),
    industry_classes=frozenset({"3985"}),
    region_path=("330203", "330200", "330000"),
)
DATA_EXCHANGE = Profile(
    id=5,
    name="某数据交易所（虚构）",
    host=False,
    offers="数据产品挂牌交易",
    seeks="数据中心算力",
    industry_classes=frozenset({"6450"}),
    region_path=("310115", "310100", "310000"),
)
EVENT = [SEEKER, PARK, SOY_BUREAU, BATTERY_MAKER, DATA_EXCHANGE]


def ranked(result, participant_id):
    return [match.counterpart for match in result[participant_id]]


def reasons(result, participant_id, counterpart_id):
    match = next(m for m in result[participant_id] if m.counterpart == counterpart_id)
    return {reason.code: reason.params for reason in match.reasons}


def test_a_graphene_film_seeker_and_a_park_offering_graphene_land_rank_each_other_first():
    result = recommend(EVENT)

    assert ranked(result, SEEKER.id)[0] == PARK.id
    assert ranked(result, PARK.id)[0] == SEEKER.id
    assert reasons(result, SEEKER.id, PARK.id)["counterpart_offers_what_you_seek"] == {
        "phrase": "石墨烯"
    }
    assert reasons(result, PARK.id, SEEKER.id)["counterpart_seeks_what_you_offer"] == {
        "phrase": "石墨烯"
    }
    # The park is in one of Harbin's districts; the seeker's interest is Harbin as a whole.
    assert reasons(result, SEEKER.id, PARK.id)["counterpart_in_region_of_interest"] == {
        "region": "230100",
        "counterpart_region": "230109",
    }
    assert "host_meets_visitor" in reasons(result, SEEKER.id, PARK.id)


def test_the_score_is_the_sum_of_its_visible_parts():
    result = recommend(EVENT)
    for matches in result.values():
        for match in matches:
            assert abs(match.score - sum(match.parts.values())) < 1e-3


def test_an_english_profile_meets_a_chinese_one_through_the_glossary():
    english_seeker = replace(SEEKER, seeks="graphene thermal film plant", offers="")
    result = recommend([english_seeker, PARK, SOY_BUREAU])
    assert ranked(result, english_seeker.id)[0] == PARK.id
    assert "counterpart_offers_what_you_seek" in reasons(result, english_seeker.id, PARK.id)


def _industry_only(classes_by_id):
    return [
        Profile(id=pid, name=str(pid), host=pid == 1, industry_classes=frozenset(classes))
        for pid, classes in classes_by_id.items()
    ]


def test_same_class_ranks_above_same_group_above_same_division():
    profiles = _industry_only(
        {
            1: {"3985"},  # 电子专用材料制造
            2: {"3821"},  # other division 38: same division only
            3: {"3981"},  # 398 电子元件及电子专用材料制造: same group
            4: {"3985"},  # same class
            5: {"1331"},  # nothing in common
        }
    )
    result = recommend(profiles)

    assert ranked(result, 1) == [4, 3]  # 38 is not 39: no division shared with 2
    profiles[1] = replace(profiles[1], industry_classes=frozenset({"3911"}))
    result = recommend(profiles)
    assert ranked(result, 1) == [4, 3, 2]
    assert [next(iter(m.reasons)).code for m in result[1]] == [
        "same_industry_class",
        "same_industry_group",
        "same_industry_division",
    ]
    assert reasons(result, 1, 3)["same_industry_group"] == {"industry": "398"}


def test_met_and_declined_pairs_are_never_recommended_either_way():
    result = recommend(EVENT, exclude=[(PARK.id, SEEKER.id)])
    assert SEEKER.id not in ranked(result, PARK.id)
    assert PARK.id not in ranked(result, SEEKER.id)
    assert ranked(result, SEEKER.id)  # others are still recommended


def test_host_and_visitor_rank_above_two_visitors_with_the_same_fit():
    profiles = [
        Profile(id=1, name="visitor", host=False, industry_classes=frozenset({"3985"})),
        Profile(id=2, name="other visitor", host=False, industry_classes=frozenset({"3985"})),
        Profile(id=3, name="host", host=True, industry_classes=frozenset({"3985"})),
        Profile(id=4, name="other host", host=True, industry_classes=frozenset({"3985"})),
    ]
    result = recommend(profiles)
    assert ranked(result, 1) == [3, 4, 2]
    assert ranked(result, 3) == [1, 2]  # hosts are not recommended to each other by default
    assert ranked(recommend(profiles, weights=Weights(host_pairs=True)), 3) == [1, 2, 4]


def test_a_pair_that_fits_only_by_sides_is_not_recommended():
    profiles = [
        Profile(id=1, name="visitor", host=False, seeks="石墨烯"),
        Profile(id=2, name="host", host=True, offers="冰雪旅游"),
    ]
    assert recommend(profiles) == {1: [], 2: []}


def test_weights_change_the_ranking():
    profiles = [
        Profile(id=1, name="seeker", host=False, seeks="石墨烯导热膜", region_path=("440300",)),
        Profile(id=2, name="text match", host=True, offers="石墨烯导热膜"),
        Profile(
            id=3,
            name="region match",
            host=True,
            regions_of_interest=frozenset({"440000"}),
            region_path=("230100", "230000"),
        ),
    ]
    profiles[0] = replace(profiles[0], region_path=("440305", "440300", "440000"))
    assert ranked(recommend(profiles), 1) == [2, 3]
    assert ranked(recommend(profiles, weights=Weights(text=0.5, region=3.0)), 1) == [3, 2]


def test_size_ranges_fit_when_they_overlap_and_open_ends_fit_anything():
    def sized(pid, low, high):
        return Profile(
            id=pid,
            name=str(pid),
            host=pid == 1,
            size_min=low,
            size_max=high,
            industry_classes=frozenset({"3985"}),
        )

    profiles = [
        sized(1, 1000, 5000),
        sized(2, 4000, 8000),
        sized(3, 6000, None),
        sized(4, None, None),
    ]
    result = recommend(profiles)
    parts = {m.counterpart: m.parts for m in result[1]}
    assert parts[2].get("size") == 1.0
    assert "size" not in parts[3]  # 6,000 and above misses 1,000-5,000
    assert "size" not in parts[4]  # no range given: no claim of a fit


def test_only_the_best_limit_are_kept_and_only_asks_for_some():
    result = recommend(EVENT, limit=1, only=[SEEKER.id], block_rows=2)
    assert list(result) == [SEEKER.id]
    assert ranked(result, SEEKER.id) == [PARK.id]


def test_an_event_without_any_text_still_ranks_by_the_rest():
    profiles = [replace(p, offers="", seeks="") for p in EVENT]
    result = recommend(profiles)
    assert ranked(result, SEEKER.id)[0] == PARK.id  # region, SEI, size, modes, sides


def test_a_park_offering_graphene_land_in_english_meets_the_chinese_seeker():
    english_park = replace(PARK, offers="Graphene industrial land and standard factory buildings")
    result = recommend([SEEKER, english_park, SOY_BUREAU, BATTERY_MAKER, DATA_EXCHANGE])
    assert ranked(result, SEEKER.id)[0] == PARK.id
    assert ranked(result, PARK.id)[0] == SEEKER.id
    assert reasons(result, SEEKER.id, PARK.id)["counterpart_offers_what_you_seek"] == {
        "phrase": "graphene / 石墨烯"
    }
