#!/usr/bin/env python3
"""Batch scoring of the `communication` questionnaire with pandas, the way a user would do it
without mend: the scoring key of questionnaires/communication.yaml written out by hand.

    python3 bench/pandas_score.py responses.csv -o scores.csv

Computes every scale's score and band, and the safety flag, as `mend batch` does; it does not
evaluate rules or pick strategies. Cells must hold option values (not labels), as
bench/generate.py writes them.
"""

import argparse

import numpy as np
import pandas as pd

AGREE5 = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}  # "skip" (prefer not to say) is missing
OFTEN5 = {"never": 1, "rarely": 2, "sometimes": 3, "often": 4, "very_often": 5}
YESNO = {"yes": 1, "no": 0}

# item -> (option scores, reverse keyed)
ITEMS = {
    "ss_safe_feelings": (AGREE5, False), "ss_held_back": (OFTEN5, True),
    "ss_taken_seriously": (AGREE5, False), "ss_fight": (OFTEN5, True),
    "ss_ask_hurt": (AGREE5, False), "ss_stay_broke": (AGREE5, False),
    "li_let_finish": (OFTEN5, False), "li_planning_reply": (OFTEN5, True),
    "li_reflect": (OFTEN5, False), "li_open_q": (OFTEN5, False),
    "li_assume": (OFTEN5, True), "li_felt_heard": (AGREE5, False),
    "li_partner_interrupt": (OFTEN5, True),
    "hm_put_down": (OFTEN5, True), "hm_ask_need": (OFTEN5, False),
    "hm_defend": (OFTEN5, True), "hm_own_part": (OFTEN5, False),
    "hm_shut_down": (OFTEN5, True), "hm_open_body": (OFTEN5, False),
    "hm_eye_roll": (OFTEN5, True),
    "op_plans": (OFTEN5, False), "op_feelings": (OFTEN5, False),
    "op_kept_back": (OFTEN5, True), "op_partner_plans": (AGREE5, False),
    "op_found_out": (AGREE5, True), "op_hard_words": (AGREE5, True),
    "tt_regular": (YESNO, False), "tt_dropped": (YESNO, True),
}
# scale -> (items, needs); all are means
MEAN_SCALES = {
    "safe_space": (["ss_safe_feelings", "ss_held_back", "ss_taken_seriously", "ss_fight",
                    "ss_ask_hurt", "ss_stay_broke"], 4),
    "listening": (["li_let_finish", "li_planning_reply", "li_reflect", "li_open_q",
                   "li_assume", "li_felt_heard", "li_partner_interrupt"], 5),
    "hard_moments": (["hm_put_down", "hm_ask_need", "hm_defend", "hm_own_part",
                      "hm_shut_down", "hm_open_body", "hm_eye_roll"], 5),
    "sharing": (["op_plans", "op_feelings", "op_kept_back", "op_partner_plans",
                 "op_found_out", "op_hard_words"], 5),
}
TALK_TIME = ["tt_times", "tt_regular", "tt_dropped"]  # a sum, needs all shown items
# band edges: a band starts at its `from`, inclusive
BANDS = {
    "safe_space": ([2.5, 3.75], ["low", "mixed", "strong"]),
    "listening": ([2.5, 3.75], ["low", "mixed", "strong"]),
    "hard_moments": ([2.5, 3.75], ["low", "mixed", "strong"]),
    "sharing": ([2.5, 3.75], ["low", "mixed", "strong"]),
    "talk_time": ([3, 6], ["rare", "building", "regular"]),
    "communication": ([2.5, 3.75], ["low", "mixed", "strong"]),
}


def round2(x):
    """Two decimals, halves away from zero (as mend does; numpy rounds halves to even)."""
    y = x * 100
    return (np.floor(y) + (y - np.floor(y) >= 0.5)) / 100


def mean_scale(items, needs, shown):
    """The mean of the answered items, if at least `needs` of the shown ones are answered."""
    answered = items.notna().sum(axis=1)
    return round2(items.mean(axis=1)).where(answered >= np.minimum(needs, shown))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("responses")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()

    df = pd.read_csv(args.responses, dtype=str, keep_default_na=False)
    scores = pd.DataFrame({item: df[item].map(key) for item, (key, _) in ITEMS.items()})
    scores["tt_times"] = pd.to_numeric(df["tt_times"].replace("", np.nan))
    for item, (key, reverse) in ITEMS.items():
        if reverse:
            scores[item] = min(key.values()) + max(key.values()) - scores[item]
    # Questions shown only for some roles: an answer to a hidden question does not count.
    scores.loc[~df["role"].isin(["hurt", "both"]), "ss_ask_hurt"] = np.nan
    scores.loc[~df["role"].isin(["broke", "both"]), "ss_stay_broke"] = np.nan
    shown_ss = 4 + df["role"].isin(["hurt", "both"]) + df["role"].isin(["broke", "both"])

    out = pd.DataFrame({"id": df["id"]})
    out["safety_flag"] = np.where(df["afraid"].isin(["once_or_twice", "more_often"]), "SAFETY", "")
    for scale, (items, needs) in MEAN_SCALES.items():
        shown = shown_ss if scale == "safe_space" else len(items)
        out[f"{scale}_score"] = mean_scale(scores[items], needs, shown)
    tt = scores[TALK_TIME]
    answered = tt.notna().sum(axis=1)
    out["talk_time_score"] = round2(tt.sum(axis=1) * len(TALK_TIME) / answered).where(
        answered == len(TALK_TIME))  # prorated to all items; `needs: all`
    subscales = out[[f"{s}_score" for s in MEAN_SCALES]]
    out["communication_score"] = mean_scale(subscales, 3, len(MEAN_SCALES))
    for scale, (edges, labels) in BANDS.items():
        out[f"{scale}_band"] = pd.cut(out[f"{scale}_score"], [-np.inf, *edges, np.inf],
                                      labels=labels, right=False)
    columns = ["id", "safety_flag"] + [f"{s}_{k}" for s in BANDS for k in ("score", "band")]
    out[columns].to_csv(args.output, index=False, float_format="%.2f")


if __name__ == "__main__":
    main()
