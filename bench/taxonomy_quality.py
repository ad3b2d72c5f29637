"""Taxonomy quality: matcher accuracy on the hand-checked samples, and coverage of each source.

    .venv/bin/python bench/taxonomy_quality.py [--write-results]

Accuracy is the automatic matcher's (no overrides) on ``tests/data/taxonomy_gold.csv`` (180 classes,
also used while tuning) and ``tests/data/taxonomy_heldout.csv`` (80 classes judged after tuning), and
``taxonomy map``'s (``mapping.map_classes`` on each full class list) on hand-judged samples of datasets
bigdet was not tuned on (``tests/data/taxonomy_unseen_*.csv``: tuning, held-out 1, held-out 2, and
held-out 3 from six datasets never used before, held-out 4 from two more, held-out 5 and held-out 6 from six
more each, held-out 7 from five more, held-out 8 from six more, reported whole and in their two halves A and B; all of them tuned on after their first run, whose figure each row keeps).
The shipped-table check is the hand check of 160 shipped rows (``taxonomy_shipped_check.csv``).
Coverage uses the shipped tables (with overrides): classes mapped, and the share of instances that
land in the label space: LVIS from its real ``instance_count``; Open Images and Objects365 from the
generator's class frequencies (``bigdet synth``: real class lists, synthetic long-tailed counts).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from bigdet.synth import objects365 as synth_o365  # noqa: E402
from bigdet.synth import openimages as synth_oi  # noqa: E402
from bigdet.taxonomy import mapping, reference, targets  # noqa: E402

from results import replace_section  # noqa: E402


def judged(name: str) -> list[dict]:
    with open(HERE.parent / "tests" / "data" / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def accuracy(rows, tables) -> tuple[int, int, list]:
    wrong = [r for r in rows if tables[r["source"]][r["source_name"]]["target"] != r["target"]]
    return len(rows) - len(wrong), len(rows), wrong


def frequencies(source: str) -> dict[int, float]:
    if source == "lvis_v1":
        return {c["id"]: c["instance_count"] for c in reference.lvis_categories()}
    if source == "openimages":
        names = [n for _, n in reference.openimages_classes()]
        w = synth_oi.class_weights(names, np.random.default_rng(0 + 600))
        return {i + 1: float(w[i]) for i in range(len(names))}
    w = synth_o365.zipf_weights(365, 0.9)
    return {i + 1: float(w[i]) for i in range(365)}


#: The rebuild after the issue-12 rule fixes (commit "Rebuilt mapping tables" and later) changed the target of
#: these shipped rows; each was judged by hand, all right. A record of that check, not computed here.
CHANGED_ROWS = (
    "Rows whose target the issue-12 rebuild changed (16, each judged right by hand): LVIS cash_register box -> none, "
    "cougar jaguar -> none (override), dining_table / hardback_book / paperback_book none -> table / book / book, "
    "mandarin_orange fruit -> orange_(fruit) (override), monitor_(computer_equipment) computer_monitor none -> computer_monitor, "
    "parasol awning -> umbrella (override); Open Images Christmas tree tree -> christmas_tree, Houseplant none -> potted_plant, "
    "Common fig fruit -> fig_(fruit), Ring binder none -> binder, Juice none -> fruit_juice; Objects365 v1 trash bin/can "
    "can -> trash_can, v2 Trash bin Can can -> trash_can (override), v2 Hotair ballon balloon -> hot-air_balloon."
)

#: How held-out 3, 4, 5 and 6 were made and used (a record, not computed here).
HELDOUT3 = (
    "Held-out 3 (`tests/data/taxonomy_unseen_heldout3.csv`): 72 names drawn from six datasets never used before "
    "(PASCAL VOC, Cityscapes, COCO-Stuff stuff, Oxford-IIIT Pet, Food-101, Grocery Store; class lists and their sources in "
    "`tests/data/class_lists/`), judged by hand and committed (7003ecb) before the matcher ran on them; first run 55/72 = 76.4%. "
    "Held-out 4 (`taxonomy_unseen_heldout4.csv`, 32 names of CIFAR-100 and NYU Depth v2) was judged and committed (2306072) "
    "after the hyphen rule and run once: 26/32 = 81.2%. The misses of both were then looked at, which makes both tuning data; "
    "the general causes fixed: a joined word WordNet lacks is split where its two parts are a WordNet compound (VOC "
    "diningtable); a list's kind of thing (the lexicographer file of most of its senses) brings back a sense WordNet lists "
    "before the one the target prior chose (CIFAR-100 mouse among animals: the rodent), and a name read only as people is "
    "joined to a target of the list's kind when WordNet knows the compound (Persian cat); a cited breed list "
    "(`taxonomy/data/breeds.csv`: the CFA and TICA cat breeds, complete) names cat breeds WordNet lacks or reads otherwise, "
    "in lists with cats (Bengal, Egyptian Mau, Sphynx, Ragdoll). None of these changed a shipped row (the tables rebuild byte "
    "for byte). Left: VOC tvmonitor (WordNet's television monitor, no target), dog breeds WordNet lacks (havanese), dishes "
    "(risotto, spaghetti_bolognese, edamame; gnocchi -> dumpling as WordNet has it), a cultivar read as a person (the pear "
    "Kaiser), a packaged juice, and held-out 4's judgement calls (sweet_pepper, picture, counter, white board, flatfish: "
    "WordNet's first sense of flatfish is the fillet). "
    "Held-out 5 (`taxonomy_unseen_heldout5.csv`, 84 names of Caltech-101, Stanford Cars, nuScenes, KITTI, BDD100K and "
    "DeepFashion2; halves A/B alternate rows) was judged and committed alone (829303c), before this pass changed any rule "
    "and before the matcher ran on these lists, then run once after the last rule change: 53/84 = 63.1% (half A 26/42 = 61.9%, half B 27/42 = 64.3%). "
    "Its misses were naming conventions no rule read; they were then looked at, which makes held-out 5 tuning data like "
    "held-out 1-4 (its first-run figure is the one for unseen datasets). The general causes fixed, in `taxonomy map` only "
    "(the shipped tables rebuild byte for byte): a category path (nuScenes `vehicle.bus.rigid`, Mapillary "
    "`object--traffic-light`, `a > b`, `a:b`, and `/` when the list writes its paths with it) is read by its most specific "
    "segment that names a thing, its other segments are its parents and the nearest gives its kind of thing "
    "(`human.pedestrian.adult` is the grown person); a vehicle model name ending in a model year (Stanford Cars) is read by "
    "its body style, WordNet's motor-vehicle sense of the word before the year (sedan, coupe, minivan, SUV; a wagon the "
    "station wagon) or a pickup's cab style through the cited `taxonomy/data/vehicle_body_styles.csv`, and a model with no "
    "body word by its list (a car among cars); a compound whose last word is a participle naming no thing has its first "
    "word as head (KITTI Person_sitting); a name whose chosen sense maps to nothing is read in another sense that is a "
    "direct kind of a class of its list that is a target itself (KITTI and ADE20K van beside truck: WordNet's van that is a "
    "truck, not the railway van). Left: Caltech-101's sailing ships (WordNet files ketch and schooner under sailing vessel, "
    "not boat, and schooner is read as the beer glass WordNet lists first), nautilus (the submarine, a target), euphonium "
    "(WordNet's bass horn, the tuba target) and gerenuk (WordNet's antelope, not a gazelle), and DeepFashion2's tops "
    "(WordNet's top garment is no shirt, its vest a waistcoat, its sling no garment). "
    "Held-out 6 (`taxonomy_unseen_heldout6.csv`, 92 names of ImageNet-1k, Caltech-256, TACO, Mapillary Vistas, DOTA-v1.5 and "
    "VisDrone; halves A/B alternate rows) was judged and committed (c04e733) by a reviewer who did not see the rules, before "
    "the matcher ran on these lists, and run once on the rules of the names3 merge: 81/92 = 88.0% (half A 40/46 = 87.0%, "
    "half B 41/46 = 89.1%). Its misses were then looked at, which makes it tuning data like held-out 1-5. The general causes "
    "fixed, in `taxonomy.names` and `taxonomy map` (the shipped tables rebuild byte for byte; only the inputs hash of "
    "`bigdet600_taxonomy.json` changed): a comma-separated name is a list of synonyms of one class (ImageNet's WordNet "
    "lemmas, a Latin binomial last): each is an alternative and the synset two or more of them name wins (lion, candle, "
    "proboscis monkey; it also reads most of ImageNet's other names); a trailing `-<digits>`/`_<digits>` after a word is an "
    "index (Caltech-256 helicopter-101); a path's last segment that is one of WordNet's sides of an object (rear.n.05, "
    "front.n.04) is a view of the segment before it, and a path class the matcher maps to nothing takes the shipped decision "
    "for its name (Mapillary object--traffic-sign--back: a traffic sign, street_sign); a compound WordNet lacks has the "
    "longest final part WordNet knows as its head, not across 'and' or where that part's first word ends a known modifier "
    "(TACO Plastified paper bag: a paper bag, the sack of LVIS plastic_bag; Grocery Store's packaged apple juice); a WordNet "
    "instance of a person (Jesus, Buddha) gets no hypernym (its images are pictures of a figure); a name that maps to "
    "nothing in a sense of a kind its list hardly has is read in its first sense of a kind the list is made of and "
    "compatible with it (ImageNet sorrel the horse, CIFAR-100 flatfish and trout the fish). Left: Caltech-256 breadmaker "
    "(WordNet knows it only as a baker; no rule tells the appliance from the person without hurting lists with people), "
    "menorah (WordNet's candelabrum, judged candle), VisDrone motor (WordNet has no motorcycle sense of it), and the older "
    "sailing ships and clothing tops (no general rule reaches them without changing shipped rows). The >= 97% target is "
    "not shown met on datasets the matcher was not tuned on: every held-out sample so far was below it on its first run. "
    "Held-out 7 (`taxonomy_unseen_heldout7.csv`, 88 names of ModelNet40, Argoverse 2, EPIC-KITCHENS-100, Fashionpedia and "
    "Objectron; halves A/B alternate rows) was judged and committed alone (134e9e8) by a helper who did not see the rules, "
    "while the held-out-6 rules were written by another who did not see it, then run once after a review's fixes (a capital "
    "after a dot is no path, only the cited cab styles are pickups, the head-first participle only for persons, animals and "
    "vehicles): 77/88 = 87.5% (half A 90.9%, half B 84.1%). Its misses: EPIC's `noun:modifier` names read as paths "
    "(onion:spring, finger:lady), kitchen senses (chicken the meat, jug, tablet, wrap), ModelNet40 bookshelf/dresser, "
    "Argoverse 2 CONSTRUCTION_BARREL and MOBILE_PEDESTRIAN_SIGN, Objectron bike (WordNet's first sense is the motorcycle). "
    "They were then looked at, which makes held-out 7 tuning data like held-out 1-6. The general causes fixed, in `taxonomy map` "
    "and the matcher (one shipped row changes: Open Images Bus keeps bus_(vehicle), now by its synset bus.n.01, not bus.n.04, "
    "an old car, by lemma): a list whose colon names mostly read modifiers-first as WordNet nouns writes them head-first "
    "(EPIC onion:spring is a spring onion, green_onion; board:chopping a chopping board), while `animal:dog` lists stay paths; "
    "the list-kind rule reads back an earlier sense of every natural kind a list is made of (a third of its senses), not only "
    "of its one top kind (EPIC: 120 foods, 121 artifacts), and a meat named like an animal target (WordNet's chicken.n.01, "
    "poultry) no longer meets that target by lemma (EPIC chicken: none, as the samples drop chicken meat); the listed-kind "
    "rule leaves a shipped table's reviewed no-target alone (LVIS wagon beside car is no station wagon); a reviewed synonym "
    "qualifying a word by its target (LVIS bike_(bicycle)) makes the bare word, a lemma of the target's synset, that target's "
    "name (Objectron bike: the bicycle); the model-year rule reads a two-word body WordNet knows as a vehicle first, and a "
    "wheeled vehicle after a motor one (Trek Mountain Bike 2019: a bicycle). Left: finger:lady (read head-first it is "
    "WordNet's ladyfinger, a cookie; okra is WordNet's lady's-finger), jug (WordNet's jug is a bottle), tablet (Objects365's "
    "shipped tablet is the computer), wrap (WordNet's wrap is a sandwich), bookshelf (WordNet's is a shelf, no bookcase), "
    "dresser (the shipped LVIS dresser is a cabinet, the sample's convention drops it), CONSTRUCTION_BARREL (a barrel by its "
    "head noun) and MOBILE_PEDESTRIAN_SIGN (WordNet's first sign is a signboard). "
    "Held-out 8 (`taxonomy_unseen_heldout8.csv`, 89 names of ShapeNetCore, ScanNet200, YouTube-VIS 2021, OVIS, "
    "PASCAL-Context 59 and Lyft Level 5; halves A/B alternate rows) was judged and committed alone (ba6e08f) before the "
    "matcher ran on these lists, then run once on the rules of the names6 merge: 85/89 = 95.5% (half A 42/45 = 93.3%, half B "
    "43/44 = 97.7%), the first first run above 90%. Its misses (bookshelf, dresser, recycling bin, bathroom vanity) and the "
    "whole six lists (some 300 names nobody had judged; 14 judged wrong, added to the tuning sample with 6 ImageNet and EPIC "
    "names the round's rules changed) were then looked at, which makes held-out 8 tuning data like held-out 1-7. The general "
    "causes fixed (no shipped target changes; only runner_up columns lose lemma alternatives of another sense, as bowl: "
    "bowling_ball): a word read in one sense does not reach a target through another sense of the same word of the same kind "
    "and not in line with it, which the resolver weighed and rejected (ScanNet200 machine: machine.n.01, not car.n.01, "
    "WordNet's sense 6 of machine; ImageNet's carpenter's plane no airplane, wallet no handbag, cleaver a knife, not a "
    "helicopter, dining table a table, not a gameboard, chiffonier no toilet; EPIC plug no fire hydrant). Cost: ImageNet's `television, television system` (WordNet id of the broadcasting system, "
    "images of sets) loses television_set, and an independent review found lists where the word's other sense was the right "
    "one and the list used to bring it back: a gymnastics beam (balance_beam -> none), a jewellery band (ring -> none), a "
    "phone list's cell (cellular_telephone -> none), a litter list's butt (cigarette -> handle); left. A second rule of that "
    "round (a compound WordNet knows only as no thing is a kind of its last word: ScanNet200 kitchen cabinet, a circle of "
    "advisers, as a cabinet) was reverted after the review found it sends ~110 of ~280 such WordNet compounds to a wrong "
    "target (half eagle, a coin, to the bird; periodic table to table; life cycle to bicycle). The same review pass fixed "
    "round 3's over-reach (no sample row changed): a model `Bike` among motorcycle models is a motorcycle; a colon name that "
    "is a path (its first segment is above its last: animal:dog) stays a path in a head-first list; a chicken beside animals "
    "WordNet knows as no food is the bird; a reviewed no-target is read again only among kinds of the listed class (wagon "
    "among sedans and coupes: the station wagon); a model scooter is the motor scooter. Left, with no general rule: bookshelf (WordNet's is a shelf), dresser (the shipped LVIS dresser "
    "is a cabinet, the samples drop chests of drawers), recycling bin (WordNet's sister of the ashcan under bin), bathroom vanity "
    "(WordNet's vanity is a dressing table), kitchen cabinet (above), ScanNet's counters (WordNet's counter is a table; the samples drop it), picture "
    "and bag (the samples' conventions against WordNet's painting and handbag), blinds (WordNet's blind is broader than "
    "window_blind), paper towel roll (WordNet's roll is film or a cylinder), and laundry hamper: reading a compound's head in "
    "another sense that is a kind of a listed class (the hamper that is a basket, beside basket) also made ScanNet's projector "
    "screen a screen door beside door, so it was not kept. "
    "Held-out 9 (`taxonomy_unseen_heldout9.csv`, 92 names of LaSOT, UEC FOOD 100, Matterport3D mpcat40, Action "
    "Genome and Waymo Open Dataset) and held-out 10 (`taxonomy_unseen_heldout10.csv`, 91 names of xView, 3RScan, "
    "V3Det, IDD and iWildCam 2019), halves A/B alternating rows, were judged and committed alone (466ef0a, 0c2e589)"
    " by helpers who did not see the rules, while this round's rules were written by others who did not see them, "
    "and run once on the final rules: held-out 9 80/92 = 87.0% (half A 84.8%, half B 89.1%), held-out 10 68/91 = "
    "74.7% (half A 73.9%, half B 75.6%). Two of their own lists were refused before the run, as holding a "
    "duplicate: V3Det has 45 names differing from another only in case (timer, Timer) and 3RScan both trash can and"
    " trashcan; a class list now refuses only the same text twice. Their misses: V3Det's Latin species names, which"
    " WordNet lacks (naso lituratus, a fish; 7/18 right), UEC's dishes (tempura udon, grilled salmon), xView's "
    "umbrella and compound classes (Maritime Vessel, Cargo/Container Car, Hut/Tent), Waymo's TYPE_SIGN and "
    "TYPE_BICYCLIST, and judgement calls against WordNet (iWildCam mountain_lion, bighorn_sheep and mountain_goat "
    "judged dropped: the cat, sheep and goat targets mean the domestic animals). "
    "They were then looked at, which makes held-out 9 and 10 tuning data like held-out 1-8. Two general naming conventions "
    "were read (no shipped table changes; only the inputs hash of `bigdet600_taxonomy.json`): a lower-case Latin binomial "
    "WordNet lacks, whose first word is a WordNet genus and whose other words are no English word, is a kind of what the "
    "genus's members are (their lowest common hypernym: Alouatta's howler monkey; else the genus's hypernym chain, a fish "
    "genus holds fish): 908 V3Det names change (listed in `bench/taxonomy_round5_changes.tsv`), nearly all from none to their animal or plant target (alouatta pigra a "
    "monkey, bombus a bee, larus a bird); judged wrong: homonym genera WordNet knows only in the other kingdom (argentina "
    "anserina, a plant, to fish; morus bassanus / serrator, gannets, and salvadora hexalepis / grahamiae, snakes, to tree; "
    "raphia frater, a moth, to palm_tree), cornus unalaschkensis (a herb) to tree, tamiasciurus douglasii squirrel -> none, "
    "corvus brachyrhynchos crow -> bird (the genus's members are crows and ravens). Naso, Prionus, Helophilus, Sander are no "
    "WordNet genera, so those stay misses. A second rule of round 5 (a leading token all (>= 3) names of a list share is "
    "stripped unless most of the rest are kinds of it: Waymo TYPE_BICYCLIST a person) was reverted after held-out 11's run: "
    "an independent review found it strips prefixes that carry the class (person-walking, person-sitting: person -> none; "
    "traffic_light, traffic_sign, traffic_cone: two of three -> none; car_1, car_2, car_3 -> none). The same review found "
    "the binomial rule reads brand and model names whose first word is a genus (acer chromebook: maple; draco malfoy: "
    "lizard) and gives class-level kinds where a genus lists a juvenile or no members (sus barbatus: animal; vespa crabro: "
    "arthropod); narrowed in round 6 (below). "
    "Held-out 11 (`taxonomy_unseen_heldout11.csv`, 89 names of SemanticKITTI, KITTI-360, HOI4D, the iNaturalist "
    "2018 super categories and Cityscapes-Panoptic-Parts; halves A/B alternate rows) was judged and committed alone"
    " (954a605) by a helper who did not see the rules, while round 5 was written by another who did not see it, and"
    " run once on the final rules: 80/89 = 89.9% (half A 88.9%, half B 90.9%). Caveat: KITTI-360's first 34 labels "
    "are Cityscapes' (tuning data since held-out 3), so many of its 26 rows re-test names judged before. Its "
    "misses: SemanticKITTI's moving-person and moving-bicyclist (a participle before the noun), KITTI-360 train "
    "(judged dropped: its Karlsruhe trains are trams), stop (read as a handle) and lamp (judged streetlight), HOI4D"
    " ToyCar (a joined word), and the iNaturalist classes Insecta, Aves and Actinopterygii (WordNet knows the "
    "classes as taxa, not as their members). They were then looked at, which makes held-out 11 tuning data like held-out "
    "1-10. Round 6 (no shipped table changes; only the inputs hash of `bigdet600_taxonomy.json`): a one-word name WordNet "
    "knows as a taxon above the genus (a class, order, family, phylum or kingdom) is what the organisms under it are: the "
    "organism the taxon lists itself that holds 90% of them (Mammalia: mammal), else the most specific hypernym that does "
    "(Aves, which lists only orders: bird; Insecta: insect, whose other 8% are WordNet's caterpillars), mapped by its "
    "hypernym chain, so Mammalia, Reptilia, Arachnida, Mollusca, Animalia, Plantae and Fungi map to nothing as judged "
    "(Actinopterygii is no WordNet word: still a miss); a participle naming no thing before the name of what moves or "
    "stands (a person, an animal or a vehicle in WordNet's first sense) is dropped (moving-person, moving-bicyclist: "
    "person; a potted plant, a drying machine, a cleaning agent and a steamed bun keep their names, which an unrestricted "
    "first try broke); the binomial rule needs epithets ending in a letter the class lists' 1715 binomials end in (all "
    "pass; acer chromebook, draco malfoy do not), leaves a genus's young and larvae out of its members' kind and reads "
    "the genus's own chain where the members say less (sus barbatus: swine, no target). Every decision over all class "
    "lists the bench maps and the automatic tables, before and after: 23 change (held-out 11 84/89 = 94.4%, every other "
    "sample unchanged), all V3Det, Caltech-256, iNaturalist "
    "and SemanticKITTI names (listed in the report of names10): Insecta, Aves, moving-person, moving-bicyclist, 17 "
    "V3Det binomials none -> bird or insect (geese, spoonbills, starlings, moths: their genera list a sub-genus or a larva "
    "beside the adults, so the members' kind was broader than the genus's chain), V3Det "
    "Wired Mouse none -> mouse_(computer_equipment) (right, but by the animal's first sense and the target's name), "
    "Caltech-256 touring-bike motorcycle -> bicycle (unsure). vespa crabro stays arthropod (Vespa lists no members; "
    "no target). An independent review of round 6 found four faults, fixed (no shipped table changes; only the inputs hash): "
    "the epithet-ending letters were no filter (acer nitro, lotus elise, taxus liberte, a stent, pass): replaced by a list "
    "condition, a lower-case binomial is a species only in a list whose binomial-shaped names (first word a WordNet genus, "
    "the others no English word) come from at least 3 genera (V3Det; not a laptop list of Acer models or a car list of "
    "Lotus models; a name mapped alone is read as any name: alouatta pigra alone maps to nothing); the participle rule read "
    "food as the animal (grilled-fish: fish): it now drops only participles of motion, posture or bodily state (an -ing "
    "form whose verb's first three senses include verb.motion, verb.stative or verb.body and none of verb.change, "
    "verb.creation, verb.consumption; an -ed form whose verb has a motion sense and none of those: parked), and such a "
    "participle of change before a noun naming a food leaves the noun's animal senses out; a taxon's kind counted "
    "larvae (Lepidoptera: animal, now insect) and took its own listed member over a narrower target (Sphenisciformes: "
    "now penguin); a genus chain's word was read in its first sense (plant_genus: a factory; now plant.n.02). Every "
    "decision over all class lists and the automatic tables, before and after: 16 change, none in V3Det's binomials: "
    "15 dishes from fish, turkey, cow or chicken_(animal) to none (UEC, Food-101 and V3Det grilled salmon, fried fish, "
    "fried chicken, smoked turkey, braised beef, Steamed fish: right; held-out 9's grilled salmon and dried fish now right, 82/92, every other sample unchanged) and "
    "V3Det Wired Mouse mouse_(computer_equipment) -> none (wrong: wired is no participle of motion, and the head noun's "
    "first sense is the animal). A first try that left the animal senses out before any noun lost 17 animal names "
    "(painted bunting, horned lark, bearded collie, peppered moth), so the head-noun part reads foods only; stuffed-bear, "
    "carved-horse and painted-horse are still read as the animal by their head noun. "
    "Held-out 12 (`taxonomy_unseen_heldout12.csv`, 90 names of ALFRED's AI2-THOR object types, A2D2, FGVC-Aircraft "
    "families, DIOR and Stanford Online Products; halves A/B alternate rows) was judged and committed alone (7102af8) by a "
    "helper who did not see the rules, while round 6 and its review fixes were written by others who did not see it, and "
    "run once on the final rules: 58/90 = 64.4% (half A 62.2%, half B 66.7%). Caveats: only ALFRED's list is the dataset's "
    "own file (the others are copied from public loaders, as their headers say), and DIOR repeats DOTA's classes (tuning "
    "data). Its misses are three naming conventions the rules do not read: Stanford Online Products' folder suffix "
    "(`chair_final`, 0/12), A2D2's numbered instances (`Car 3`, `Pedestrian 1`, `Traffic signal 1`) and aircraft model "
    "designators (FGVC-Aircraft `A380`, `ATR-42`, `Boeing 747`, `DC-9`: 0/10; `Spitfire` read as a person), plus ALFRED "
    "`Blinds` and `Glassbottle` and A2D2 `Speed bumper` (read as a glass). They were then looked at, which makes held-out 12 "
    "tuning data like held-out 1-11. Round 7 (no shipped table changes; only the inputs hash of `bigdet600_taxonomy.json`): "
    "a name ending in a space and a number is an instance of the name before it when the list holds that stem with exactly "
    "the numbers 1..n, n >= 2 (A2D2's `Car 1`..`Car 4`, `Pedestrian 1`..`Pedestrian 3`: car, person), so a model's number "
    "stays (`Boeing 707`, `Boeing 747`; `Fokker 50`, `Fokker 100`: no 1..n); a last word that more than half of a list and "
    "at least 3 names share is a folder's or file's mark and dropped when it names no thing (Stanford Online Products' "
    "`_final`, WordNet's exam or match), never when it names one (`traffic_light`, `street_sign`: the head); a name whose "
    "head is an animal is the plaything WordNet names by that head and defines with the name's first word (`stuffed-bear`, "
    "`plush bear`: teddy, \"a child's toy bear (usually plush and stuffed ...)\"), and a participle of making (wired; no "
    "motion, posture or bodily state) before it leaves the head's animal senses out where another sense is a target "
    "(V3Det `Wired Mouse`: the computer mouse); a word WordNet lacks written as a material joined to an artifact whose "
    "first sense WordNet defines with that material is that artifact (ALFRED `Glassbottle`: \"a glass or plastic "
    "vessel\"; a first try without the definition read V3Det's fatbike as a motorcycle). Every decision over all class "
    "lists and the automatic tables, before and after: 35 change, all in held-out 12's lists and V3Det, no row of the shipped or automatic tables: A2D2's 20 numbered classes none -> car_(automobile), bicycle, person, truck, traffic_light, street_sign (right), A2D2 Tractor none -> truck (unsure: once Truck is read, the list-senses rule reads WordNet's tractor unit, a kind of truck; A2D2's is likely a farm tractor), Stanford Online Products' 12 folders to their objects (right; cabinet_final was file_cabinet), V3Det Wired Mouse none -> mouse_(computer_equipment) (right) and ALFRED Glassbottle none -> bottle (right). "
    "An independent review of round 7 found five faults, fixed with a test each (tables byte for byte; only the inputs hash): "
    "the shared-suffix rule dropped any last word naming no thing, which carries the class in `door_damage`, `helmet_missing`, "
    "`Apple logo`, `person_crowd` (door, helmet, apple, person; right: none), so only a named folder or file mark is dropped "
    "(final, new, old, copy, tmp, img, imgs, data, obj, v1, v2, ...); reading an instance number's stem sent `Type 1`, `Sort 1` "
    "to person and `Speaker 1` to the stereo speaker through a later sense, and lost `Formula 1`'s race car, so the stem is "
    "read only where its decision keeps its first WordNet sense and the numbered name maps to nothing as written (Plate 1, "
    "Glass 1 of a probe list so go back to none, as before round 7); the toy rule read `toy gun` as a gunman's plaything "
    "(none; now gun), so only a head whose first sense is an animal is read so; the material split sent `leathershoe` to "
    "shoe, so a target whose name is the word written apart (Objects365 Leather Shoes) wins; and the plaything lookup "
    "scanned every WordNet noun lemma per call, now an index by last word built once. "
    "Left: aircraft model designators (FGVC `A380`, `DC-9`, `Boeing 747`): WordNet knows none of the makes or codes, and "
    "the few names it reads are of many kinds (An-12 a nurse's degree, DC-9 the District of Columbia, Falcon and Hawk "
    "birds, Tornado and Typhoon storms, Spitfire a quick-tempered person, Gulfstream an ocean current), so no list kind "
    "says aircraft and no rule was safe; `carved-horse` and `painted-horse` stay the horse (V3Det's painted bunting, "
    "painted sandgrouse and painted greenling are animals, and WordNet defines no carved or painted toy); `Blinds` "
    "(WordNet's first artifact blind is a hunters' hiding place), `Speed bumper` (WordNet's first bumper is a full glass) "
    "and `frozen-fish` (frozen is no -ed or -ing form, which the participle rules read; irregular participles were not tried). "
    "Held-out 13 (`taxonomy_unseen_heldout13.csv`, 91 names of ObjectNet, ImageNet VID, YCB-Video, CORe50 and ApolloScape; "
    "halves A/B alternate rows) was judged and committed alone (db8610c) by a helper who did not see the rules, while round"
    " 7 and its review fixes were written by others who did not see it, and run once on the final rules: 76/91 = 83.5% "
    "(half A 87.0%, half B 80.0%). Caveat: only CORe50's list was read from the dataset's own repository; the other four "
    "are copies in public repositories, named in each file's header. Its misses are again mostly naming conventions no rule"
    " reads: a number joined to the word (CORe50's object instances `cup5`, `marker1`, `glass4`, `plug_adapter3`; YCB-"
    "Video's catalogue numbers `024_bowl`, `040_large_marker`), a sense in parentheses after a space (ObjectNet `Nail "
    "(fastener)`, `Laptop (open)`), and single names read in another sense (`Oven mitts` as a baseball glove, `Walker` as a"
    " shoe, `Coffee beans` as a fruit, `Trash bag` as none, `Shampoo bottle` as a bottle, judged shampoo). "
    "They were then looked at, which makes held-out 13 tuning data like held-out 1-12. Round 8 (no shipped table changes; "
    "only the inputs hash of `bigdet600_taxonomy.json`): a number joined to a name of letters, or after `_`/`-`, is an "
    "instance number where the list numbers that stem 1..n, as `Car 1`..`Car 4` are (CORe50's `cup1`..`cup5`, "
    "`marker1`..`marker5`), with round 7's safeguards (never where the name maps as written; the stem has three letters or "
    "more and no digit, so `7up`, `3m`, `mp3`, `a4`, `f1`, `b52`, `r2d2` are never read so); the stem's decision may now be "
    "another sense of the kind of thing its first sense is (marker: the felt-tip pen, an artifact as WordNet's first marker"
    " is), never one of another kind (`mouse1`: WordNet's first mouse is the animal, so no computer mouse; `Speaker 1`, "
    "`Type 1` stay none); a leading catalogue id that at least 3 names and more than half the list carry, of one width and "
    "zero-padded (YCB-Video's `024_bowl`), is dropped (`3d_glasses`, `7up_can`, `100_dollar_bill`, `4x4` share no such "
    "form); a gloss in parentheses after a name (ObjectNet `Nail (fastener)`, as LVIS writes `nail_(fastener)` with its "
    "synset) picks the name's sense that is a kind of what it names (the nail that is a fastener; V3Det `bat (animal)`), an "
    "ImageNet id is its synset (`crane (n03126707)`, the machine), a kind of thing no sense of the name is of stays what the "
    "class is a kind of (V3Det `gatekeeper (butterfly)`: WordNet knows only the person), a thing of a kind the name has "
    "picks its first sense of that kind (`sidecar (vehicle)`: no cocktail), and a state, who it is for or a qualifier says "
    "nothing of the class (`Laptop (open)`, `Book (closed)`, `Dress shoe (men)`, `Eraser (white board)`); a gloss naming no "
    "thing (`Coin (money)`) reads the name alone only where it keeps its first sense (`biscuit (united states)` is no "
    "cookie; a first try read it so). Also `_joined_target` reads a one-time index of the targets' names. Every decision over"
    " all class lists the bench maps and the automatic tables, before and after: 36 change (each judged in `bench/taxonomy_round8_changes.tsv`), none in"
    " the shipped or automatic tables: CORe50's 15 cans, markers and cups none -> can, marker, cup (right), YCB-Video 024_bowl none -> bowl (right), "
    "ImageNet crane (n03126707) none -> crane (right), 12 ObjectNet glossed names to their objects (right: nail, laptop, "
    "book, drawer, binder, coin, telephone, earphone, eraser, iron, and both dress shoes shoe; Dress shoe (women) was person),"
    " ObjectNet Stopper (sink/tub) none -> poker_card (wrong: read alone, WordNet's stopper is a bridge card before a plug), "
    "V3Det swing (seat), bench (weight training), bun (food), mortar (weapon) none -> swing, bench, bread, cannon (right), "
    "Heavy machine gun (with tripod) tripod -> none (right: a gun, no tripod) and black belt (martial arts) none -> person "
    "(unsure: WordNet's first black belt is the expert). Held-out 13 is at 82/91 = 90.1%; every other sample unchanged. Left:"
    " CORe50 `plug_adapter1`..5 (WordNet lacks plug adapter, and its first adapter is a person: the stem is read only in "
    "its first sense's kind) and `glass1`..5 (judged eyewear; the stem's first sense is the material, so it stays none), "
    "YCB-Video `040_large_marker` (a size word before a noun is read as a compound's head, marker's first sense; a size "
    "rule would reach V3Det's `large white`, a butterfly), and the single names `Oven mitts`, `Walker`, `Coffee beans`, "
    "`Trash bag` (WordNet lacks it) and `Shampoo bottle` (YCB-Video's `005_tomato_soup_can` is judged a can, so a "
    "container named by its contents is not always its product: no general rule). "
    "An independent review of round 8 found the joined-number and catalogue-id rules fine and two faults in the gloss "
    "rule, both fixed with a test each: the shipped decision for the bare name undid a sense the gloss picked (`Kite (bird)` "
    "was the toy kite, `Crane (bird)` the machine, `Horn (car)` a trumpet): a class whose gloss picked its sense is now left "
    "out of `_as_shipped` (bird, bird, none); and a gloss that picked no sense fell back to the name's first sense where it "
    "makes the name a compound or names a kind of thing (`Bat (baseball)` the animal, `Tank (fish)` the army tank, `Boxer "
    "(athlete)` the dog): the gloss and the name as one name a target or WordNet knows as a thing are now read first "
    "(baseball_bat, an aquarium: none, potted_plant, drinking glass, soda can, water bottle; `Book (closed)` is no closed "
    "book, WordNet's cognition), a person gloss picks the name's person sense (person), a material or contents gloss says "
    "nothing (`Bottle (plastic)`, `Cup (paper)`: bottle, cup), a gloss that is a kind of the name is read as before (`Tank "
    "(aquarium)`: none) and a gloss of several words WordNet lacks is read by its last noun only where a sense is a kind of "
    "it (`Pen (animal enclosure)`: no writing pen); numbered stems are compared case-insensitively (`car3` beside `Car 1`). "
    "None of these names is in a class list the bench maps: every decision over them and the tables is as in round 8 (the 36 "
    "changes against the round before), every sample unchanged. Left: `Bat (sports)` (WordNet has no path from sport to the "
    "club) and `Stopper (sink/tub)` (still the bridge card). "
    "Held-out 14 (`taxonomy_unseen_heldout14.csv`, 93 names of PACO, CO3D, ARKitScenes, MOTChallenge and PartImageNet; "
    "halves A/B alternate rows, every list read from the dataset's own repository) was judged and committed alone "
    "(a3c9fa6) by a helper who did not see the rules, while round 8 and its review fixes were written by others who did "
    "not see it, and run once on the final rules: 90/93 = 96.8% (half A 97.9%, half B 95.7%). Caveat: PACO names its "
    "classes exactly as LVIS does (`car_(automobile)`, `glass_(drink_container)`), so its 28 rows test little; without "
    "them 62/65 = 95.4%. Misses: ARKitScenes `tv_monitor` (WordNet's television monitor, no kind of television set: none; "
    "judged television_set, as PASCAL VOC's `tvmonitor`), MOTChallenge `person_on_vehicle` (read by its last noun, a "
    "vehicle, broader than every target: none; judged person: the head of a noun and a prepositional phrase is the noun "
    "before the preposition, a rule not written) and `static_person` (none; judged person: the adjective pulls WordNet's "
    "body sense of person ahead of the target's). "
    "Held-out 15 (`taxonomy_unseen_heldout15.csv`, 90 names of TrashCan 1.0 (instance version), CamVid, RELLIS-3D, "
    "CityPersons and WoodScape; halves A/B alternate rows), judged and committed alone (75c022c) by another helper who did "
    "not see the rules, was run once on the same final rules: 80/90 = 88.9% (half A 91.1%, half B 86.7%). Caveats: 62 of "
    "its 90 rows are judged to map to nothing (CamVid, RELLIS-3D and WoodScape are segmentation lists of surfaces and "
    "stuff), so it tests drops more than targets; CamVid's list was read from a public copy of its `label_colors.txt`, "
    "TrashCan's from a copy of its README. Misses: TrashCan names its debris `trash_<kind>` and its animals `animal_<kind>`"
    " (`animal_eel`, `animal_shells`, `trash_bag`: none, judged fish, seashell, plastic_bag; `trash_can` the bin, judged a"
    " discarded can), CamVid joins words in CamelCase (`MotorcycleScooter`, `SignSymbol`: none, judged motorcycle, "
    "street_sign) and joins two classes (`Truck_Bus`: bus, judged none), WoodScape adds a state after the class "
    "(`traffic_light_green`: none, judged traffic_light) and joins two (`train/tram`: train, judged none), and CityPersons' "
    "`other persons with unusual postures` (none, judged person). "
    "Held-out 16 (`taxonomy_unseen_heldout16.csv`, 91 names of Quick, Draw!, ExDark, VisDA-2017, Zenseact Open Dataset "
    "and SHIFT; halves A/B alternate rows; 66 rows with a target), judged and committed alone (2e42eba) by a third helper "
    "who did not see the rules, was run once on the same final rules: 86/91 = 94.5% (half A 89.1%, half B 100.0%). "
    "Caveat: ZOD's and SHIFT's lists are constants in their own code (an annotation module, an example dataset class), "
    "not class-list files. Misses: Quick Draw's `dresser` (cabinet; judged none, as ModelNet40's and ScanNet200's), `see "
    "saw` (none; judged toy, as V3Det's seesaw), `The Mona Lisa` (none; judged painting), VisDA's `plant` (none; judged "
    "potted_plant from the dataset's COCO origin, which the judge marked as unchecked) and ZOD's `TrafficSign` (none; "
    "judged street_sign: a CamelCase name is split only where WordNet knows the compound, as `TrafficSignal`, the traffic "
    "light, is). Held-out 14, 15 and 16, three samples run once on the same final rules, pool to 256/274 = 93.4%. "
    "Their misses were then looked at, which makes held-out 14-16 tuning data. Round 9 (no shipped table changes; only the "
    "inputs hash of `bigdet600_taxonomy.json`; two independent reviews, whose faults were fixed with a test each): a noun "
    "before a prepositional phrase is the head (`person_on_vehicle`, `other persons with unusual postures`: person; not "
    "after `of`, not where a hyphen joins the preposition to a modifier, `clip-on tie`, and not in a dish named by its "
    "ingredients, `eels on rice`, `Beef with broccoli`), and that head takes the shipped decision of its name (`man on "
    "bicycle`: person); a colour after a stem the list writes with two or more colours is the state it shows (WoodScape "
    "`traffic_light_green`: traffic_light; a single `tomato_red` and a compound WordNet knows, `widow_black`, are not); a "
    "head that is a top noun's object counts as a thing (`static_person`: person), unless a modifier makes it an "
    "imitation (a material, a plaything or a creation, a mock or fake: `toy_person`, `cardboard person`: none); a first "
    "word most of a list writes before its names, a kind of them, is their parent as a path segment is (TrashCan "
    "`animal_eel`: fish), never for a name WordNet knows whole (`glass_snake`, `trash_bin`) and never giving a material's "
    "own target (`glass_pane`: none); a CamelCase name is read as its words where a target or a shipped class names them "
    "(ZOD `TrafficSign`: street_sign). Every decision over all class lists and the automatic tables, before and after: 13 "
    "targets change (`bench/taxonomy_round9_changes.tsv`: 11 right, UEC FOOD `shrimp with chill source` -> shrimp unsure, "
    "V3Det's dish `Frog on a stone board` -> frog wrong, a known cost). After it, held-out 14 is at 92/93 = 98.9%, 15 at "
    "83/90 = 92.2% (`trash_can` is the bin again: WordNet knows the compound), 16 at 87/91 = 95.6%. Left: two classes "
    "joined (`Truck_Bus`, `train/tram`; WordNet gives no way to tell coordinated nouns from a modifier and its noun), "
    "`MotorcycleScooter`, `SignSymbol`, `animal_shells`, `trash_bag`, `tv_monitor`, `see saw`, `The Mona Lisa`. "
    "Held-out 17 (`taxonomy_unseen_heldout17.csv`, 92 names of Office-Home, MVTec D2S, Animals with Attributes 2, FAIR1M "
    "and DAIR-V2X; 68 rows with a target) and held-out 18 (`taxonomy_unseen_heldout18.csv`, 90 names of MetaGraspNet, "
    "FoodSeg103, Snapshot Serengeti, PandaSet and AU-AIR; 57 with a target), halves A/B alternate rows, were each judged "
    "and committed alone (628db10, 631fe67) by judges who did not see the rules, before round 9 was written, and run once "
    "on its final rules: held-out 17 64/92 = 69.6% (half A 69.6%, half B 69.6%), held-out 18 76/90 = 84.4% (half A "
    "86.7%, half B 82.2%); pooled 140/182 = 76.9%. Caveats: the D2S, AwA2, FAIR1M, FoodSeg103 and AU-AIR lists are public copies (their "
    "headers say where), and D2S is judged by the convention that a packaged product is its container (water: bottle; "
    "tea: box), which the judge flagged. Misses: product names the matcher cannot read (D2S's German SKUs "
    "`adelholzener_classic_naturell_02`, `feldsalat`, `rispentomaten`: 4/18 right), aircraft designators again (FAIR1M "
    "`A350`, `Boeing737`), WordNet's ships, which are no kind of its boat (`Warship`, `Fishing Boat`, `Passenger Ship`: "
    "none; the samples' convention is that a ship is a boat), WordNet's first sense of `Human` (homo, a hominid: none), "
    "`ox` (a castrated bull, no cow), `Van` and `Signs` out of their lists' context, lower camelCase (`lionMale`, "
    "`koriBustard`), toys named by their animal or vehicle (`toydog`: dog, `d_toy_airplane`: airplane), and products by "
    "use (`handcream`, `deo`: cosmetics; `desinfection`: a bottle). "
    "The ships showed an inconsistency in the shipped tables themselves: Objects365's `Ship` was boat by a reviewed "
    "override (WordNet files ship under vessel, not boat), while LVIS's `passenger_ship` and `cruise_ship` mapped to "
    "nothing. That is now declared once, as data (`taxonomy/data/target_kinds.csv`: WordNet's ships, sailing vessels, "
    "fishing and patrol boats and yachts count as boat; a nearer target such as cargo_ship or submarine still wins; a "
    "wreck does not count, nor a head noun whose modifier WordNet lacks, `rocket ship`, nor a word first a person, "
    "`pirate`), after an independent review whose three faults were fixed with tests: LVIS `passenger_ship`, "
    "`cruise_ship` and `yacht` now map to boat (their boxes were dropped), 25 decisions over the bench lists and tables "
    "change, all judged right (`bench/taxonomy_ships_changes.tsv`), and held-out 17, tuned on it, is at 67/92 = 72.8% "
    "(FAIR1M's `Engineering Ship`, read by its head noun, stays none). "
    "Round 10 (tuned on held-out 17 and 18; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): a lower camelCase name WordNet lacks is read as its words (Snapshot Serengeti `koriBustard`: "
    "a bustard, a bird), and where a list writes the same animal word first in two or more such names before a sex, "
    "age or epithet, that word is the head (`lionMale`, `lionFemale`: lion; `dogBowl`, `personHead`, `bikeHelmet` are "
    "not); `toy` directly before a head noun naming a vehicle, weapon, musical instrument, robot, telephone or camera "
    "makes the class a toy (MetaGraspNet `d_toy_airplane`, `toy gun`: toy; `toy box`, `toy shelf`, `toy car battery`, "
    "`doll chair`: not); two reviewed rows of `taxonomy/data/target_kinds.csv`: WordNet's human (homo.n.02; the "
    "extinct species excepted) counts as person and its cattle (ox, bull, steer) as cow. 27 targets change over all "
    "class lists and the automatic tables, all judged right (`bench/taxonomy_round10_changes.tsv`; a known cost "
    "outside the lists: `guernsey` and `devon` in a clothing list become cow, WordNet knows only the cattle); "
    "held-out 17 is at 68/92 = 73.9%, 18 at 80/90 = 88.9%. Held-out 19 (`taxonomy_unseen_heldout19.csv`, 90 names of "
    "OakInk-Shape, AP-10K, ModaNet, View-of-Delft and SeaDronesSee; 68 rows with a target) and held-out 20 "
    "(`taxonomy_unseen_heldout20.csv`, 89 names of ObjectNet3D, CODa, RUOD, METU-ALET and ARCTIC; 59 with a target), "
    "halves A/B alternate rows, were each judged and committed alone (1b30f35, d4fb678) by judges who did not see the "
    "rules, and run once on round 10's final rules: held-out 19 78/90 = 86.7% (half A 84.4%, half B 88.9%), held-out "
    "20 82/89 = 92.1% (half A 86.7%, half B 97.7%); pooled 160/179 = 89.4%. Caveats: the AP-10K, RUOD and METU-ALET "
    "lists are public copies and ObjectNet3D's comes from a fork of its authors' detector code (their headers say "
    "where); ARCTIC's objects are mostly toy models, judged by the object each copies (its microwave: "
    "microwave_oven), as MetaGraspNet's were. Misses: calls between two targets or none (a `phone`: telephone, judged "
    "cellular_telephone, in two lists; ModaNet `bag`: handbag, judged none; `scarf & tie`: necktie, judged none as a "
    "mixed class; AP-10K `panther`: jaguar, judged none; CODa `Mailbox`: box, judged none), names WordNet reads "
    "otherwise (ModaNet `outer`: person, judged none; `top` and `footwear`: none, judged shirt and shoe; RUOD "
    "`diver`: WordNet's first diver is the bird, judged person; View-of-Delft `moped_scooter`: a water scooter, "
    "judged motor_scooter; `motor`: none, judged motorcycle; `human_depiction`: none, judged sculpture) and names "
    "WordNet lacks (`lotion_pump`, `pincer`, `safety glass`, ARCTIC's `capsulemachine`, `espressomachine` and "
    "`ketchup`, judged its bottle). The >= 97% target is not met on unseen lists. "
    "Round 11 (tuned on held-out 19 and 20; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): a word WordNet knows as an adjective, verb or adverb is no typo of a noun (ModaNet `outer` "
    "was read as ouster, a person: none); an animal a word names only aside, after two or more senses of people it "
    "heads, is read as people (RUOD `diver`: person, not the loon), except in a list mostly of that animal's kind (a "
    "bird list's `diver` stays the loon); a noun directly before a head moves it off a first sense of another kind to "
    "a sense of the modifier's kind that the head word names as its own (View-of-Delft `moped_scooter`: "
    "motor_scooter, not the water scooter; `diamond ring`: ring; a `bike bag` is still no handbag); two classes "
    "joined by `&` map to the target both sides share, else to none (ModaNet `scarf & tie`); a one-word name that "
    "maps to nothing, in a list of one narrow kind (three quarters of it under a synset at WordNet depth 7 or "
    "deeper), whose first sense is of the kind's sort and which begins the name of exactly one unlisted target of "
    "that kind, is that target (VisDrone's and View-of-Delft's `motor`: motorcycle; a sports list's `foot` is not). "
    "15 targets change over all class lists and the automatic tables, all judged right "
    "(`bench/taxonomy_round11_changes.tsv`); held-out 19 is at 82/90 = 91.1%, 20 at 83/89 = 93.3%, 6 at 90/92 = "
    "97.8%. Held-out 21 (`taxonomy_unseen_heldout21.csv`, 90 names of ARC 2017, CADC, ContactDB, Fashion-MNIST and "
    "IP102; 70 rows with a target) and held-out 22 (`taxonomy_unseen_heldout22.csv`, 90 names of TO-Scene, RoboCasa, "
    "PIDray, NTLNP and RADIATE; 63 with a target), halves A/B alternate rows, were each judged and committed alone "
    "(fdd8046, 0d0e450) by judges who did not see the rules, and run once on round 11's final rules: held-out 21 "
    "63/90 = 70.0% (half A 73.3%, half B 66.7%), held-out 22 83/90 = 92.2% (half A 91.1%, half B 93.3%); pooled "
    "146/180 = 81.1%. Caveats: the ARC 2017 and CADC lists are public copies, RoboCasa is a simulation library's "
    "object categories, NTLNP's list is prose of its README and RADIATE's the colour table of its SDK; held-out 21's "
    "judge, checking that its datasets were new, saw a few lines of `bench/taxonomy_round5_changes.tsv` (V3Det's "
    "parrots) and one bench label, nothing of these lists. Misses: ARC 2017's retail product names (`avery_binder`, "
    "`colgate_toothbrush_4pk`, `poland_spring_water`, `reynolds_wrap`: 8/20 right), IP102's Latin names of genera "
    "WordNet lacks (`Lycorma delicatula`, `Icerya purchasi Maskell`, `Dasineura sp`, judged insects: 8/20 right), and "
    "single calls (CADC `Snowplow_Truck`: truck, judged snowplow; `Garbage_Containers_on_Wheels`: none, judged "
    "trash_can; Fashion-MNIST `Bag`: handbag, judged none; IP102 `red spider`, a mite: spider; RoboCasa "
    "`blender_jug`: bottle, judged none; `oven_tray`: tray, judged cooking_utensil; RADIATE `group_of_pedestrians`: "
    "person, judged none; NTLNP `leopard cat`: cat, judged none; TO-Scene `plant`: none, judged potted_plant). The >= "
    "97% target is not met on unseen lists. "
    "Round 12 (tuned on held-out 21 and 22; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): in a list of organisms of one kind (half or more of its classes mapped to targets other than "
    "people on one animal or plant target), a name written as a scientific name whose genus WordNet does not know "
    "(genus and an epithet that is no WordNet common noun, an author after them, `Genus sp`, in a list holding two such"
    " names or more; a taxon ending such as `-idae`) is that target (IP102 `Lycorma delicatula`, `Dasineura sp`: "
    "insect; a dog list's `Kong toy` is no genus); a pack count ending a product's name is no part of it "
    "(`colgate_toothbrush_4pk`: toothbrush), and in a list leading a tenth of its names with words WordNet lacks, such "
    "a brand word is dropped where the rest names a target itself (ARC 2017 `avery_binder`: binder, scored 0.6 at most;"
    " `doritos_bag` is no handbag); a group of people or animals before \"of\", and a pile of anything, is no one of its "
    "things (RADIATE `group_of_pedestrians`: none; a bunch of bananas keeps banana); an animal named by likeness is "
    "that target only within its WordNet order (IP102 `red spider`, a mite, is no spider). 53 targets change over all "
    "class lists and the automatic tables (`bench/taxonomy_round12_changes.tsv`: 48 right, 4 wrong: IP102's mites "
    "written in Latin become insects, a known cost; 1 unsure); held-out 21 is at 74/90 = 82.2%, 22 at 84/90 = 93.3%, 17"
    " at 69/92 = 75.0%. Held-out 23 (`taxonomy_unseen_heldout23.csv`, 92 names of HomeRobot OVMM, FSC-147, ENA24, MOCS "
    "and HiXray; 65 rows with a target) and held-out 24 (`taxonomy_unseen_heldout24.csv`, 89 names of NWPU VHR-10, "
    "PartNet, Sketchy, VRD and WiderPerson; 66 with a target), halves A/B alternate rows, were each judged and "
    "committed alone (2a83b2f, 1a25019) by judges who did not see the rules, before round 12 was written, and run once "
    "on its final rules: held-out 23 76/92 = 82.6% (half A 87.0%, half B 78.3%), held-out 24 84/89 = 94.4% (half A "
    "95.6%, half B 93.2%); pooled 160/181 = 88.4%. Caveats: FSC-147's list is its classes in the order of their first "
    "image, MOCS's and the Sketchy and VRD lists are public copies, ENA24's comes from the importer that converted it "
    "for LILA, NWPU VHR-10's and WiderPerson's from libraries that load them (their headers say where). Misses: later "
    "WordNet senses that reach a target where the list means the first (MOCS `Worker`: insect, the worker bee; HiXray "
    "`Portable_Charger_1` and `_2`: horse, the warhorse; Sketchy `mouse`, an animal in its list: the computer mouse; "
    "MOCS `Roller`: wheel), contents named for their container (`tissue_box`: box, `milk cartons`: box, judged "
    "tissue_paper and milk; HiXray `Water`: none, judged bottle), `toy_cactus` (none, judged toy), `matches` (none, "
    "judged igniter), `toilet paper rolls` (none, judged toilet_tissue) and calls between two targets (PartNet `Bag`, "
    "`Display`, VRD `bag`, `counter`, `kitchen towels`, `milk_frother_cup`, `plant_saucer`). The >= 97% target is not "
    "met on unseen lists. "
    "Round 13 (tuned on held-out 23 and 24; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): a name read in a later animal sense that reaches its target only as a kind of it, whose first "
    "sense is a person WordNet counts 5 times or more and thrice the animal, is that person in a list with no animal "
    "(MOCS `Worker`: person, no worker bee; a skunk or a whale, an animal target's own name, stays); in a list a third "
    "or more of animals whose most common kind is artifacts, an artifact name reads its word's first sense when that is"
    " an animal (Sketchy `mouse`: the animal, no target; never a later animal sense, a plant's or a food's); a name "
    "read through its head noun as a roll of a thing that is wound (paper, tape, fabric) is that thing (`toilet paper "
    "rolls`: toilet_tissue; a barrel roll, a camera roll, an egg roll are not); `toy` before a plant or a fruit makes a"
    " toy; WordNet's lighting device (lighter.n.02: a match) counts as igniter (`taxonomy/data/target_kinds.csv`). 11 "
    "targets change over all class lists and the automatic tables, all judged right "
    "(`bench/taxonomy_round13_changes.tsv`; known costs outside the lists: a home list's `mouse` beside seven pets is "
    "the rodent, a sports list's `match` an igniter); held-out 23 is at 80/92 = 87.0%, 24 at 85/89 = 95.5%. Held-out 25"
    " (`taxonomy_unseen_heldout25.csv`, 94 names of ABO, BEHAVE, HRSC2016, LINEMOD and MVImgNet; 81 rows with a target)"
    " and held-out 26 (`taxonomy_unseen_heldout26.csv`, 87 names of Omni3D, S3DIS, Stanford Drone, Singapore Maritime "
    "and TU-Berlin; 65 with a target), halves A/B alternate rows, were each judged and committed alone (e337668, "
    "4ddc04e) by judges who did not see the rules, before round 13 was written, and run once on its final rules: held-"
    "out 25 51/94 = 54.3% (half A 51.1%, half B 57.4%), held-out 26 80/87 = 92.0% (half A 93.2%, half B 90.7%); pooled "
    "131/181 = 72.4%. Caveats: HRSC2016's list is a public copy (the dataset has no repository) and a third of held-out"
    " 25 (its 31 classes, taken whole as a short list); LINEMOD's and Singapore Maritime's lists are public copies, TU-"
    "Berlin's a copy whose repository the index does not name, Stanford Drone's order that of a README (their headers "
    "say where). Misses: HRSC2016 names ships by their class (`Nimitz`, `Arleigh Burke`, `Ticonderoga`, `Kitty Hawk`: "
    "bird; 6/31 right, read only by knowing that every class is a ship), BEHAVE joins a thing and its size or colour "
    "into one word (`boxlarge`, `chairblack`, `tablesmall`, `yogaball`: 9/20 right); without those two lists held-out "
    "25 is 36/43 = 83.7%. Others: `driller` (none, judged drill), `eggbox`, `toy horse` (horse, judged toy), `Guava` "
    "(tree, judged fruit), `Percussion`, Stanford Drone `Biker` (none, judged person) and `Cart` (cart, judged "
    "golfcart), `Vessel/ship`, `Flying bird/plane` (airplane, judged none), `blinds`, S3DIS `board`, `rollerblades`. "
    "The >= 97% target is not met on unseen lists. "
    "Round 14 (tuned on held-out 25 and 26; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): a lower-case word WordNet lacks, which maps to nothing as written, is read by the convention "
    "its list shows: a word first an artifact joined to its size, shape, colour or material is that artifact where the "
    "list writes the same thing so before two different such words or more (BEHAVE `boxlarge`, `chairblack`, "
    "`tablesquare`: box, chair, table; a lone `caroil` or `bottlewater` is not read); a word ending in a target's own "
    "name after a noun is that target where the name is first an artifact no toy copies (`yogaball`: ball, LINEMOD "
    "`eggbox`: box; not `toyhorse`, `rubberduck`, `corndog`); an \"-er\" word whose verb is first a tool is that tool "
    "(LINEMOD `driller`: drill), except among names of trades; `toy` before an animal makes a toy unless the animal is "
    "a dog (WordNet's toy dogs: `toy poodle` stays a dog). 36 targets change over all class lists "
    "(`bench/taxonomy_round14_changes.tsv`: 35 right, 1 unsure, V3Det's `floorball`); held-out 25 is at 64/94 = 68.1% "
    "(92.1% without HRSC2016's ship classes). Held-out 27 (`taxonomy_unseen_heldout27.csv`, 90 names of ADL, Birdsnap, "
    "DroneVehicle, iCubWorld Transformations and MVTec AD; 66 rows with a target) and held-out 28 "
    "(`taxonomy_unseen_heldout28.csv`, 72 names of NOCS, Oxford Flowers 102, ShipRSImageNet, SIXray and SUN RGB-D; 44 "
    "with a target), halves A/B alternate rows, at most 25 rows from one list, were each judged and committed alone "
    "(d2abdf1, c01efce) by judges who did not see the rules, before round 14 was written, and run once on its final "
    "rules: held-out 27 81/90 = 90.0% (half A 88.9%, half B 91.1%), held-out 28 55/72 = 76.4% (half A 72.2%, half B "
    "80.6%); pooled 136/162 = 84.0%. Caveats: ADL's list comes from copies of its annotation code whose repository the "
    "index does not name, Birdsnap's from CLIP's prompt file (apostrophes dropped), MVTec AD's and SIXray's from "
    "libraries; held-out 28 has 72 rows, its 25 Oxford Flowers rows are all judged to map to nothing (no flower "
    "target), and ShipRSImageNet shares class names with HRSC2016 (held-out 25, tuning data; no rule reads them). "
    "Misses: ShipRSImageNet's ship classes (`Nimitz`, `Wasp LL`, `Arleigh Burke DD`: award, WordNet's DD a doctorate; "
    "10/25 right; without it held-out 28 is 45/47 = 95.7%), mixed classes (`oven/stove`: oven, judged stove; "
    "`milk/juice`: milk, judged none), `oven glove` (baseball_glove, judged glove), ADL `cell` (none, judged "
    "cellular_telephone), `soap_liquid`, `electric_keys` (key, judged light_switch), DroneVehicle `freight car` (none, "
    "judged truck), `body lotion`, MVTec `metal_nut` (nuts, judged none), SUN RGB-D `dresser` and `bookshelf` (the old "
    "calls). The >= 97% target is not met on unseen lists. "
    "Round 15 (tuned on held-out 27 and 28; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): in a list where two thirds of the classes that map, and five at least, are on vessel targets, "
    "a ship class is the boat: a name ending in a naval hull-type code of a closed set (the US Navy's hull "
    "classification symbols, DDH, ShipRSImageNet's LL and AS: `Arleigh Burke DD`, no longer an award; `Car SUV` stays "
    "the car), a name WordNet holds as a proper name (`Nimitz`, `Tarawa`) or names a vessel by (`Patrol`: a patrol "
    "boat), a hull code alone or a capitalised name WordNet lacks (`AOE`, `Kuznetsov`), a lead ship's name and -class,"
    " or a name that is a vessel through its head noun (`Medical Ship`); a cleansing agent or toiletry, an underscore "
    "and its form (liquid, powder, gel) is that substance (ADL `soap_liquid`: soap); `bookshelf` is a reviewed synonym"
    " of bookcase; a group's members are read in the order of their names, so no decision depends on Python's hash "
    "seed any more (`Crew` was a person under some seeds, nothing under others). 50 targets change over all class "
    "lists (`bench/taxonomy_round15_changes.tsv`: 49 right, 1 wrong, ShipRSImageNet's `RoRo`, a cargo ship, now a "
    "boat); held-out 28 is at 68/72 = 94.4%, 27 at 82/90 = 91.1%, 25 at 77/94 = 81.9%. Held-out 29 "
    "(`taxonomy_unseen_heldout29.csv`, 89 names of Amazon Picking Challenge 2016, DeepFashion, DeepWeeds, GeoDE and "
    "HIT-UAV; 55 rows with a target) and held-out 30 (`taxonomy_unseen_heldout30.csv`, 89 names of Omni6D, SODA-D, "
    "StereOBJ-1M, Trans10K-v2 and VMRD; 68 with a target), halves A/B alternate rows, at most 25 rows from one list, "
    "were each judged and committed alone (7d73de5, a346e7a) by judges who did not see the rules, before round 15 was "
    "written, and run once on its final rules: held-out 29 65/89 = 73.0% (half A 68.9%, half B 77.3%), held-out 30 "
    "75/89 = 84.3% (half A 80.0%, half B 88.6%); pooled 140/178 = 78.7%. Caveats: DeepFashion's and GeoDE's lists are "
    "public copies, Omni6D's names are OmniObject3D's, StereOBJ-1M's list is gathered from two files of its code; the "
    "Picking Challenge is the retail domain of ARC 2017 (held-out 21, tuning data). Misses: the Picking Challenge's "
    "product names (14/25 right: `cloud_b_plush_bear`: bear, judged teddy_bear; `womens_knit_gloves`: baseball_glove; "
    "boxes, books, bowls and mailers named by brand: none), DeepFashion's garment words WordNet reads otherwise "
    "(`Tank`: army_tank, `Bomber`: airplane; `Tee`, `Henley`, `Capris`, `Cutoffs`: none), StereOBJ-1M `side_cutters` "
    "(boat: WordNet's cutter is a sailing vessel; judged pliers) and `sterile_tip_rack_*` (none, judged box), VMRD "
    "`charger` (horse, the warhorse; judged converter), DeepWeeds' shrubs (`Chinee Apple`: apple, judged tree), SODA-D"
    " `motor` (none, judged motorcycle), Trans10K-v2 `Jar or Tank` (army_tank, judged none) and `Glass Bow` (none; the"
    " dataset's spelling of bowl). The >= 97% target is not met on unseen lists. "
    "Round 16 (tuned on held-out 29 and 30; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): two classes joined by `or` (between spaces or any separator) are read as two joined by `&`: "
    "the target both sides share, where each side has a sense under it (`Crane or Heron` among birds: bird; `Rider or "
    "Cyclist`: person), else none (Trans10K-v2 `Jar or Tank`: no army tank); a head noun that is a target's own name "
    "is that target where the word's first physical sense was read and another target's synset merely lists the word "
    "(`womens_knit_gloves`, `oven glove`: glove, not baseball_glove), or that sense maps to nothing and is of the "
    "target sense's kind within 4 steps in WordNet (`platinum_pets_dog_bowl`: bowl; known cost: `super bowl`); in a "
    "list of clothes (half of its mapped classes on garments) a clipped one-word name is the garment of WordNet's "
    "compound of it whose target the list already holds, never over a name's own exact sense (DeepFashion `Tank`, "
    "`Tee`: shirt; `Bomber`: jacket; a football kit's `Ball` stays a ball); `plush` before an animal makes a toy, "
    "found after a leading brand (`cloud_b_plush_bear`: teddy_bear); `road sign` is a reviewed synonym of street_sign."
    " 35 targets change over all class lists (`bench/taxonomy_round16_changes.tsv`: 27 right, 1 wrong, V3Det's "
    "`funerary mask`, now a mask; 7 unsure); held-out 29 is at 72/89 = 80.9%, 30 at 76/89 = 85.4%, 27 at 83/90 = "
    "92.2%. Held-out 31 (`taxonomy_unseen_heldout31.csv`, 87 names of HOTS, HOT3D, HouseCat6D, D2-City, MVTec 3D-AD "
    "and FLIR ADAS; 74 rows with a target) and held-out 32 (`taxonomy_unseen_heldout32.csv`, 91 names of Toys4K, SH17,"
    " VEDAI, Oregon Wildlife, Pix3D and SUIM; 57 with a target), halves A/B alternate rows, at most 25 rows from one "
    "list, were each judged and committed alone (96275e8, 5883d69) by judges who did not see the rules, before round "
    "16 was written, and run once on its final rules: held-out 31 63/87 = 72.4% (half A 75.0%, half B 69.8%), held-out"
    " 32 82/91 = 90.1% (half A 84.8%, half B 95.6%); pooled 145/178 = 81.5%. Caveats: while round 16 was written, a "
    "text search by its rules' author printed the 11 rows of these two samples whose lines hold ` or ` (names and "
    "judgements; no rule reads them, and 10 of them are right); without them held-out 31 is 59/83 = 71.1% and 32 is "
    "76/84 = 90.5%. HOT3D's, D2-City's, FLIR ADAS's, VEDAI's, Oregon Wildlife's and Pix3D's lists are public copies. "
    "Misses: HOTS and HOT3D write an object, an underscore, then its brand, size, colour or material, once per object "
    "(`can_coke`, `plate_big`, `spoon_silver`, `bottle_ranch`, `dumbbell_5lb`: none; `mug_white`, `book_white`: "
    "person, WordNet's white person; 20 of held-out 31's 24 misses), HOT3D's Aria glasses (`aria_small`: none, judged "
    "spectacles), `cup_glass` (glass, judged cup), `juice_box_green` (box, judged fruit_juice); held-out 32's: "
    "`tractor` (truck, judged none) in two lists, SH17's `medical-suit` and `safety-suit` (suit_(clothing), judged "
    "none), VEDAI `camping car` (car, judged none), Oregon Wildlife `ringtail` (raccoon, judged none), SUIM `human "
    "divers` (bird, judged person), `Wrecks/ruins` (building) and `Robots/instruments` (musical_instrument), both "
    "judged none. The >= 97% target is not met on unseen lists. "
    "Round 17 (tuned on held-out 31 and 32; no shipped table changes; an independent review, whose faults were fixed "
    "with a test each): a name of words joined by `_`, thing first, then its brand, size, colour, material or weight, "
    "is that thing where the list writes the first word before two different rests or more and the rest has no noun "
    "sense of the thing's kind unless it is a size, shape, colour or material (HOTS `can_coke`, `plate_big`, "
    "`book_white`, no longer WordNet's white person; `pen_case`, `chair_leg` beside `pen_black`, `chair_1` stay none),"
    " or, without that convention, where the first word is first an artifact and the rest a size, shape or colour, an "
    "adjective of a material or a word WordNet lacks (`spoon_wooden`, `dumbbell_5lb`; a lone `pen_ink` is not read), "
    "never where the name read head-last or its last part maps to a target other than a person (`coffee_pot`, "
    "`whiteboard_marker`); `human` or `person` alone before a head whose senses are people and animals alone keeps the"
    " people (SUIM `human divers`: person, no loon). 33 targets change over all class lists "
    "(`bench/taxonomy_round17_changes.tsv`: 32 right, 1 wrong, HOT3D's `carton_oj`, now a box); held-out 31 is at "
    "78/87 = 89.7%, 32 at 83/91 = 91.2%; known costs: in a list with the convention, `bottle_label`, `guitar_amp`, "
    "`book_cover`, `printer_ink`, `candle_wax` stay the thing. Held-out 33 (`taxonomy_unseen_heldout33.csv`, 82 names "
    "of BigBIRD, iFood 2019, Clothing1M, CIFAR-10 and ETH-80; 65 rows with a target) and held-out 34 "
    "(`taxonomy_unseen_heldout34.csv`, 89 names of NICO++, PACE, SemanticPOSS, SUNCG and VIPSeg; 57 with a target), "
    "halves A/B alternate rows, at most 25 rows from one list, were each judged and committed alone (c8e98ae, 3a5e113)"
    " by judges who did not see the rules, while round 17 was written by another who did not see them, and run once on"
    " its final rules: held-out 33 50/82 = 61.0% (half A 61.0%, half B 61.0%), held-out 34 80/89 = 89.9% (half A "
    "93.3%, half B 86.4%); pooled 130/171 = 76.0%. Caveats: held-out 33 has 82 rows, not 85 or more (its judge ran out"
    " of time for a sixth list); BigBIRD's, Clothing1M's, CIFAR-10's and ETH-80's lists are public copies, NICO++'s "
    "and SemanticPOSS's too. Misses: BigBIRD's product names (2/25 right: cereal and granola bar cartons, sauces, "
    "aerosol cans, soaps named by brand, judged by their container or contents: box, bottle, can, soap; without "
    "BigBIRD held-out 33 is 48/57 = 84.2%), iFood's dishes (`risotto`, `potpie`, `custard`, `creme_brulee`, "
    "`apple_turnover`: none; `beignet`: cake, judged doughnut; `peking_duck`: duck, judged none), SemanticPOSS "
    "`traffic sign 1`, `2`, `3` (none, judged street_sign: an index after a space is not read), `2+ person` and "
    "`cone/stone` (person and cone, judged none as a crowd and a mixed class), SUNCG `unknown` (person, judged none), "
    "`wardrobe_cabinet` (cabinet, judged wardrobe), `baby_bed`, PACE `scissor/link1` (scissors; a part, judged none). "
    "The >= 97% target is not met on unseen lists. "
    "After that run, a numbered stem WordNet lacks as a whole is read as written (SemanticPOSS `traffic sign 1` to "
    "`3`, A2D2 `Traffic sign 1` to `3`: street_sign, no longer WordNet's one.n.01 as the head; CORe50 `scissor1` to "
    "`5`: scissors): 11 targets change, all right (listed at the end of `bench/taxonomy_round17_changes.tsv`); "
    "held-out 34 is at 83/89 = 93.3%, every other sample as it was. "
    "Round 18 (tuned on held-out 33 and 34; no shipped table changes; an independent review, whose faults were "
    "fixed with a test each): a name made only of words saying its objects are not known or not labelled "
    "(`names.UNLABELLED_WORDS`: unknown, unidentified, unlabeled, misc, undefined, unclassified...) is no class "
    "(SUNCG `unknown`, WordNet's stranger, no longer a person; an `unknown vehicle` is read as before); a two-word "
    "name read through its head noun whose first word alone is, in WordNet, a kind of the head and maps to a target"
    " below the head's is that target (CIFAR-100 `maple_tree`: maple); a dish WordNet knows that reaches no target,"
    " whose definition names its last word (or a joined word's target-named end after a noun), is the food target "
    "that word names, never one that is no food and never two foods joined by \"and\" (iFood `pepper_steak`: "
    "steak_(food), `potpie`: pie, `fried_rice`: rice; `peking_duck`, `salisbury_steak`, `cottage_pie` keep theirs)."
    " 22 targets change over all class lists (`bench/taxonomy_round18_changes.tsv`: 22 right); held-out 33 is at "
    "52/82 = 63.4%, 34 at 84/89 = 94.4%, no sample lower; known costs (the review's invented names): `pie_pastry` a"
    " pie, `cab_car` a taxi; left: SUNCG `wardrobe_cabinet` (WordNet files the wardrobe beside the cabinet, no kind"
    " of it). Held-out 35 (`taxonomy_unseen_heldout35.csv`, 87 names of CompCars' car types, Leeds Butterfly, Lost "
    "and Found, MIO-TCD, MSRC-21 and ETHZ Shape Classes; 67 rows with a target) and held-out 36 "
    "(`taxonomy_unseen_heldout36.csv`, 85 names of PACS, Redwood 3DScan, Toybox, Udacity's Dataset 2, VidOR and "
    "VisA; 61 with a target), halves A/B alternate rows, at most 25 rows from one list, were each judged and "
    "committed alone (3e17c34, c885cee) by judges who did not see the rules, while round 18 was written by another "
    "who did not see them, and run once on its final rules: held-out 35 70/87 = 80.5% (half A 81.8%, half B 79.1%),"
    " held-out 36 80/85 = 94.1% (half A 95.3%, half B 92.9%); pooled 150/172 = 87.2%. Caveats: the lists of "
    "CompCars, Leeds Butterfly, Lost and Found, MIO-TCD, MSRC-21, PACS and VidOR are public copies (VidOR's through"
    " VidSTG, which uses its 80 categories), ETHZ's comes from a library, VisA's order is that of its object "
    "folders; Lost and Found's published label table writes `Cardboard box` at two ids, both in the sample (the "
    "bench reads class lists as published, `classes_from_file(repeats=True)`). Misses: CompCars' body types written"
    " alone (`MPV`, `fastback`, `estate`, `crossover`: none; `convertible`: sofa_bed, WordNet's convertible sofa; "
    "judged a car or a minivan: 7/12 right), Latin butterfly names WordNet lacks or reads as the larva (`Lycaena "
    "phlaea`, the misspelt `Vanessa cardu`: none; `Pieris rapae`: caterpillar), Lost and Found's qualifiers in "
    "parentheses (`Dog (white)`: person, WordNet's dog as a frump; `Pylon (white)`: tower, judged cone; three "
    "`Bobby car (...)`: car, judged toy; `Kid (crawling)`, `Kid (on a bobby car)`: none, judged person), MIO-TCD's "
    "`articulated_truck` (truck, judged trailer_truck) and `work_van` (none, judged truck), VisA's `macaroni1` and "
    "`macaroni2` (person, WordNet's first macaroni is a dandy; judged pasta), Redwood's `trash container` (none), "
    "Udacity's `Street Lights` (streetlight; its README says they are traffic lights) and VidOR's `sheep/goat` "
    "(sheep, judged none as a mixed class). The >= 97% target is not met on unseen lists. "
    "Round 19 (tuned on held-out 35 and 36; no shipped table changes; an independent review, whose faults were "
    "fixed with a test each): a gloss in parentheses that is a colour, size or shape leaves the name read alone "
    "(Lost and Found's `Dog (white)`: the dog, no longer WordNet's frump), and one of doing or place (`Kid "
    "(crawling)`) keeps the name read alone where that is a person, an animal or a vehicle, else takes its first "
    "WordNet sense where that is one (the child); a lone car body style in a list of them is its vehicle, through "
    "body styles added to the cited `taxonomy/data/vehicle_body_styles.csv` (CompCars' `MPV`: minivan; `estate`, "
    "`fastback`, `crossover`: car; `convertible`: the car, no sofa bed); a numbered stem whose first WordNet sense "
    "has no tagged use is read as its list reads it alone, among names of its kind (VisA's `macaroni1`: pasta, no "
    "dandy). 12 targets change over all class lists (`bench/taxonomy_round19_changes.tsv`: 12 right); held-out 35 "
    "is at 78/87 = 89.7%, 36 at 82/85 = 96.5%, no sample lower. Held-out 37 (`taxonomy_unseen_heldout37.csv`, 89 "
    "names of Cholec80, ClearPose, GTSRB, Housekeep and MHP v2.0; 58 rows with a target) and held-out 38 "
    "(`taxonomy_unseen_heldout38.csv`, 85 names of SIMD, Street2Shop, Sydney Urban Objects, TUMTraf, UAVid and the "
    "Vegetable Image Dataset; 67 with a target), halves A/B alternate rows, at most 25 rows from one list, were "
    "each judged and committed alone (67932c8, 788fd47) by judges who did not see the rules, while round 19 was "
    "written by another who did not see them. They ran first on round 18's final rules (round 19's author ran the "
    "bench from the main line after they were wired in, and saw the two totals only, after the round's last rule "
    "commit), then on round 19's, with the same figures: held-out 37 61/89 = 68.5% (half A 62.2%, half B 75.0%), "
    "held-out 38 65/85 = 76.5% (half A 76.7%, half B 76.2%); pooled 126/174 = 72.4%. Caveats: the lists of GTSRB, "
    "SIMD, Street2Shop, Sydney Urban Objects and the Vegetable Image Dataset are public copies (Sydney's from a "
    "script whose repository the index does not name); ClearPose and GTSRB gave 20 and 12 rows. Misses: GTSRB names"
    " its traffic signs by what they say (`Speed limit (50km/h)`, `Yield`, `Keep left`: none; `Stop`: handle; "
    "`Roundabout mandatory`: person), judged street_sign and stop_sign: 0/12 right, without them held-out 37 is "
    "61/77 = 79.2%; ClearPose's `water_cup_1` and three more (cup, judged a drinking glass, marked unsure) and "
    "`wine_cup_1`, `wine_cup_6` (cup, judged wineglass); SIMD's aircraft named by their use (`propeller`, "
    "`trainer`, `chartered`: none, judged airplane) and joined truck names (`longvehicle`, `stairtruck`, "
    "`pushbacktruck`: none); Sydney Urban Objects' `ute` (person, WordNet's Ute; judged pickup_truck), `4wd`, "
    "`biker`, `scooter` (WordNet's water scooter) and `trash` (the rubbish, judged a bin); products named by their "
    "contents (Housekeep's `herring_fillets`: steak_(food), `sparkling_water`: none; judged can and bottle); "
    "Cholec80's `Clipper` (scissors, judged none) and `SpecimenBag`; MHP's `bikini/bra` (brassiere, judged none as "
    "a mixed class), `bats` (the animal) and `singlet`; Street2Shop's `eyewear`, `tops` and `bags`; the Vegetable "
    "Image Dataset's `Brinjal`, `Bean`, `Bitter_Gourd` and `Bottle_Gourd`. The >= 97% target is not met on unseen "
    "lists. "
    "Round 20 (tuned on held-out 37 and 38; no shipped table changes; an independent review, whose faults were "
    "fixed with a test each): a cited table of road-sign names (`taxonomy/data/road_sign_names.csv`: the Vienna "
    "Convention's and GTSRB's) makes a list whose names are mostly phrases only a sign says a list of signs, each a"
    " street_sign and `Stop` the stop_sign (GTSRB's `Speed limit (50km/h)`, `Yield`, `Keep left`: 0/12 before, "
    "12/12 after; a lone `Stop` elsewhere, or a driving list with a few sign classes among things, as before; a "
    "name that also names a thing of another kind keeps it, so GTSRB's `Pedestrians` stays a person); a joined word"
    " ending in a vehicle target's name after a noun of its use is that vehicle (SIMD's `stairtruck`, "
    "`pushbacktruck`: truck; `toytruck`, `robotcar`, `cakecar` stay none); a head read in its first sense takes a "
    "later sense WordNet writes as a compound of a word the first word is a kind of (`herring_fillets`, `trout "
    "fillet`: the fish fillet, no beef steak). 46 targets change over all class lists "
    "(`bench/taxonomy_round20_changes.tsv`: 45 right, 1 better but still a miss); held-out 37 is at 73/89 = 82.0%, "
    "38 at 67/85 = 78.8%, no sample lower. Held-out 39 (`taxonomy_unseen_heldout39.csv`, 91 names of the Animal "
    "Image Dataset (90 animals), Clothing Co-Parsing, Fruits and Vegetables Image Recognition, LOCO and Food-11; 67"
    " rows with a target) and held-out 40 (`taxonomy_unseen_heldout40.csv`, 92 names of Unity SynthDet, SynLiDAR, "
    "ZSFooD, RescueNet and SODA10M; 60 with a target), halves A/B alternate rows, at most 25 rows from one list, "
    "were each judged and committed alone (692075d, eafc5e9) by judges who did not see the rules, while round 20 "
    "was written by another who did not see them, and run once on its final rules: held-out 39 80/91 = 87.9% (half "
    "A 89.1%, half B 86.7%), held-out 40 50/92 = 54.3% (half A 50.0%, half B 58.7%); pooled 130/183 = 71.0%. "
    "Caveats: every list of both samples is a public copy (none could be read from the dataset's own repository; "
    "SynthDet's own label file is stored in Git LFS), several in repositories the index does not name (their "
    "headers give the file ids). Misses: SynthDet names grocery products category_product_brand "
    "(`cereal_oatmealsquares_quaker`: person, Quaker read as a Friend; `snack_granolabar_kind`, "
    "`pasta_lasagne_barilla`, `toiletry_toothpaste_colgate`: none; `storage_ziploc_sandwich`: sandwich), judged by "
    "their product or container as BigBIRD's were: 1/25 right, without them held-out 40 is 49/67 = 73.1%; "
    "RescueNet's `Building-No-Damage` and three more damage grades (none, judged building) and `Pool` (none, judged"
    " swimming_pool); ZSFooD's dishes (`vinegar vermicelli`: pasta, judged noodles; `fried string beans`, `banana "
    "milk cake`, `braised flammulina velutipes`: none; `beer duck`: duck and `steamed egg`: egg, judged none); "
    "SynLiDAR's `female` and `kid` (none, judged person); Clothing Co-Parsing's `bag` (handbag, judged none), "
    "`clogs` and `pumps`; the misspelt `jalepeno` and `raddish`, `paprika` (none, judged bell_pepper) and `soy"
    " beans` (fruit); LOCO's `small load carrier` (none, judged box) and `pallet truck` (truck, judged handcart); "
    "Food-11's mixed `Noodles-Pasta` and `Vegetable-Fruit`. The >= 97% target is not met on unseen lists. "
    "Round 21 (tuned on held-out 39 and 40; no shipped table changes; two independent reviews, whose faults were "
    "fixed with a test each): two kinds joined by a hyphen are read as two classes only where WordNet lacks the "
    "whole, the sides are near kin (a common hypernym within one step of each) and neither is a category named "
    "before its item (`Noodles-Pasta`: pasta, the target covering the other; `Vegetable-Fruit`: none; `Fruit-"
    "Apple`, `Mug-Handle`, `Goldfish-Fish` as before); a thing named with its state after it is the thing "
    "(RescueNet's `Building-No-Damage`: building); a list naming its people by sex or age reads them as persons "
    "(SynLiDAR's `female`, `male`, `kid`; never beside animals or where a name already has another target); a dish "
    "in a list of foods takes its head's food sense where two senses tie (`banana milk cake`: cake; no produce "
    "sense, no patty of meat, fish or a vegetable); a list naming products category_item_brand (Unity SynthDet) "
    "reads each without its brand or container, never as a person or a living thing. 54 targets change over all "
    "class lists (`bench/taxonomy_round21_changes.tsv`: 40 right, 5 better, 9 wrong, all SynthDet's chips, granola "
    "bars and two more); held-out 39 is at 82/91 = 90.1%, 40 at 65/92 = 70.7%, no sample lower. Held-out 41 "
    "(`taxonomy_unseen_heldout41.csv`, 87 names of Construction-PPE, ECUSTFD, iGibson-Synthetic, M3FD and "
    "MultiScan; 70 rows with a target) and held-out 42 (`taxonomy_unseen_heldout42.csv`, 90 names of VirtualHome, "
    "YouCook2-BoundingBox, STAR, ROAD and OPIXray; 46 with a target), halves A/B alternate rows, at most 25 rows "
    "from one list, were each judged and committed alone (55c4e81, e0bdf86) by judges who did not see the rules, "
    "while round 21 was written by another who did not see them, and run once on its final rules: held-out 41 74/87"
    " = 85.1% (half A 88.6%, half B 81.4%), held-out 42 77/90 = 85.6% (half A 86.7%, half B 84.4%); pooled 151/177 "
    "= 85.3%. Round 20's rules give the same 74 and 77 on both samples: round 21 changed none of their decisions. "
    "Caveats: ROAD's list is a public copy (an MMDetection config; the dataset keeps it only in its annotation "
    "json) and ECUSTFD's is read from its annotation files' names; held-out 42 has fewer rows with a target (51%) "
    "than the brief asked (60%), STAR's aerial list being mostly classes with none (runways, courts, dams). Misses:"
    " Construction-PPE's `no_helmet`, `no_goggle`, `no_gloves`, `no_boots` (the gear, judged none: a class of its "
    "absence); ROAD's abbreviations `Ped`, `Cyc`, `Mobike`, `TL`, `OthTL` (none, judged person, person, motorcycle,"
    " traffic_light); ECUSTFD's `fired_dough_twist`, `mooncake`, `sachima` (none, judged cake and pastry) and the "
    "misspelt `qiwi`; iGibson's `cooktop` (none, judged stove), `plant` (none, judged potted_plant), "
    "`bottom_cabinet_no_top`; M3FD's `Lamp` (lamp, judged streetlight in a driving list); MultiScan's "
    "`computer_table` (table, judged desk); VirtualHome's joined `breadslice`, `whippedcream`, and `beer` (none, "
    "judged beer_bottle); YouCook2's `lid` (hat) and `chicken` (the animal, judged none as meat); STAR's `tank` "
    "(army_tank, judged a storage tank), `car_parking` (car) and `cooling_tower` (none, judged tower). The >= 97% "
    "target is not met on unseen lists. "
    "Round 22 (tuned on held-out 41 and 42; no shipped table changes; an independent review, whose faults were "
    "fixed with a test each): a name led by a word of absence whose absent thing ends the name names no object "
    "(Construction-PPE's `no_helmet`: none; signs such as `No entry` stay signs; `bottom_cabinet_no_top` and "
    "`person_no_mask` stay the thing before the absence); driving datasets' agent abbreviations are read out in a "
    "list holding three or more of them or a joined one (ROAD's `Ped`, `Cyc`: person, `Mobike`: motorcycle, `TL`, "
    "`OthTL`: traffic light; a hospital's `Ped` or a lone `TL` as before); in a list of food a name read in a far "
    "later sense that only lists the word among its other names takes its own earlier sense (YouCook2's `lid`: a "
    "pot's cover, no hat; a plate, cake, pasta or slide keep their targets); live animals count only where they map"
    " to a target (a cooking list's `chicken`: the meat, none). 13 targets change over all class lists "
    "(`bench/taxonomy_round22_changes.tsv`, all right); held-out 41 is at 79/87 = 90.8%, 42 at 84/90 = 93.3%, no "
    "sample lower. Held-out 43 (`taxonomy_unseen_heldout43.csv`, 90 names of Dhaka-AI, A Large Scale Fish Dataset, "
    "Leafsnap, BIRDS 400 and AnimalTrack; 86 rows with a target) and held-out 44 (`taxonomy_unseen_heldout44.csv`, "
    "92 names of the RoboCup@Home 2024 objects, SIFT Flow, UMD Part Affordance, the Workshop Tools Dataset and "
    "ONCE; 65 with a target), halves A/B alternate rows, at most 25 rows from one list, were each judged and "
    "committed alone (9d70e16, 6354210) by judges who did not see the rules, while round 22 was written by another "
    "who did not see them, and run once on its final rules: held-out 43 71/90 = 78.9% (half A 80.0%, half B 77.8%),"
    " held-out 44 73/92 = 79.3% (half A 73.9%, half B 84.8%); pooled 144/182 = 79.1%. Caveats: all five of held-out"
    " 43's lists and UMD's are public copies, four of them in repositories the index could not name; held-out 43 is"
    " nearly all animals, trees and vehicles. Misses: common names of species WordNet lacks (A Large Scale Fish "
    "Dataset's `Gilt-Head Bream`, `Sea Bass`, `Trout`: none, judged fish; BIRDS 400's `BORNEAN BRISTLEHEAD`, "
    "`PAINTED BUNTING`: none, judged bird; Leafsnap's `abies_concolor`, `amelanchier_laevis`: none, judged tree); "
    "Dhaka-AI's `garbagevan`, `scooter`, `rickshaw` (the cycle rickshaw, judged tricycle) and `three wheelers "
    "(CNG)` (horse); RoboCup@Home's groceries named by contents or brand (`dubbelfris`, `mayonaise`, `hagelslag`, "
    "`pringles`, `stroopwafel`: none, judged by their container or product target); tools (UMD's `mallet`, "
    "`tenderizer`, `turner`, `scoop`; Workshop Tools' `Vise Grip`: handle, `Allen Key`: key, `File`: file_cabinet, "
    "`Measuring Tape`: tape, `Rubber Mallet`: none). The >= 97% target is not met on unseen lists. "
    "Round 23 (tuned on held-out 43 and 44; no shipped table changes): WordNet knows most of held-out 43's missed "
    "fish and birds, but as another thing first, so a name of no target whose chosen sense is neither an animal nor"
    " a plant takes its animal or plant sense where that maps to a target whose kind its list's organisms are (two "
    "or more, half of the classes it maps): A Large Scale Fish Dataset's `Trout`, `Sea Bass`, `Red Sea Bream` "
    "(first their food) are fish beside its red mullets, BIRDS 400's `CLARKS NUTCRACKER` (first the tool) and "
    "`PAINTED BUNTING` (first the fabric) birds; a menu's trout beside one salmon and a kitchen's nutcracker keep "
    "theirs. A Latin binomial in a list of them climbs WordNet's plant taxonomy as far as an animal's (Leafsnap's "
    "`abies_concolor`, the white fir, is a tree 5 steps up); a common name keeps 4 steps (LVIS's `clementine`, "
    "which WordNet files as the tree, stays the fruit). A rule reading a reviewed \"no target\" again (UMD's "
    "`mallet`: the tool) was dropped: it made V3Det's `dog collar` a necklace and ClearPose's lab beaker a cup. A "
    "long list (100 classes or more) mostly of one target's kind, counting the classes on kinds of it with it, "
    "reads the names WordNet does not know as that target (BIRDS 400's `COMMON IORA`, `CRIMSON SUNBIRD`: bird, as "
    "its 326 birds, parrots, ducks and owls of 400 are). 86 targets change over all class lists "
    "(`bench/taxonomy_round23_changes.tsv`: 84 right, 2 better); held-out 43 is at 83/90 = 92.2%, 44 at 73/92 = "
    "79.3% as it was, no sample lower. "
    ""
    "Caveat on held-out 6: the brief of the rules helper of the held-out-5 pass named Mapillary's `object--traffic-light` "
    "as an example of a path separator before held-out 6 was drawn, so its 14 Mapillary rows were not unseen in that "
    "convention (without them held-out 6's first run was 68/78 = 87.2%)."
)


def unseen_lists() -> dict[str, str]:
    """Dataset -> class-list file of every list the unseen samples draw from (``tests/data/class_lists/lists.csv``)."""
    return {r["source"]: r["file"] for r in judged("class_lists/lists.csv")}


UNSEEN_LISTS = unseen_lists()


def row_key(r: dict) -> tuple[str, int]:
    """(dataset, 1-based position in its class list) of a sample row."""
    return r["source"], int(r["source_category_id"])


def unseen_decisions(space) -> dict:
    """``taxonomy map`` on each whole class list (a list is context for its names), by (dataset, id)."""
    out = {}
    for source, file in UNSEEN_LISTS.items():
        classes = mapping.classes_from_file(HERE.parent / "tests" / "data" / "class_lists" / file, source, repeats=True)
        for d in mapping.map_classes(classes, space):
            out[(source, d.source.id)] = d
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-results", action="store_true")
    args = ap.parse_args()
    space = targets.bigdet600()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        mapping.write_tables(mapping.build(space, overrides=False), Path(tmp), space)
        automatic = {s: {r["source_name"]: r for r in mapping.read_table(s, Path(tmp))} for s in mapping.SOURCES}
    build_seconds = time.perf_counter() - start
    lines = []
    for name, label in (("taxonomy_gold.csv", "gold sample (used in tuning)"), ("taxonomy_heldout.csv", "held-out sample")):
        ok, n, wrong = accuracy(judged(name), automatic)
        names = ", ".join(f"{w['source_name']} ({w['source']})" for w in wrong)
        lines.append(f"| {label} | {n} | {ok} | {ok / n:.1%} | {names} |")
    unseen = unseen_decisions(space)
    for name, label in (
        ("taxonomy_unseen_tuning.csv", "unseen datasets, tuning half (its first 83 rows 81 right, as before; 20 names added in round 4 from the whole held-out-8 lists, most of them misses)"),
        ("taxonomy_unseen_heldout.csv", "unseen datasets, held-out 1 (tuned on after its first run: 86.6%)"),
        ("taxonomy_unseen_heldout2.csv", "unseen datasets, held-out 2 (first run 90.4%; tuned on since: list context, the sparrow rule)"),
        ("taxonomy_unseen_heldout3.csv", "unseen datasets, held-out 3 (six new datasets judged and committed before the matcher ran on them; first run 76.4%, then tuned on: the hyphen, joined-word, list-kind and breed rules)"),
        ("taxonomy_unseen_heldout4.csv", "unseen datasets, held-out 4 (CIFAR-100, NYU Depth v2; first run 81.2%, then tuned on: the list-kind rule)"),
        ("taxonomy_unseen_heldout5.csv", "unseen datasets, held-out 5 (six new datasets judged and committed before the matcher ran on them; first run 63.1%, then tuned on: the path, model-year, participle and listed-kind rules)"),
        ("taxonomy_unseen_heldout5.csv:A", "held-out 5, half A (alternate rows, fixed before the run; first run 61.9%)"),
        ("taxonomy_unseen_heldout5.csv:B", "held-out 5, half B (first run 64.3%)"),
        ("taxonomy_unseen_heldout6.csv", "unseen datasets, held-out 6 (six new datasets judged and committed before the matcher ran on them; first run 88.0%, then tuned on: the synonym-list, index-suffix, path-side, longest-head, named-person and list-kinds rules)"),
        ("taxonomy_unseen_heldout6.csv:A", "held-out 6, half A (alternate rows, fixed before the run; first run 87.0%)"),
        ("taxonomy_unseen_heldout6.csv:B", "held-out 6, half B (first run 89.1%)"),
        ("taxonomy_unseen_heldout7.csv", "unseen datasets, held-out 7 (five new datasets judged and committed before the matcher ran on them; first run 87.5%, then tuned on: the head-first colon, natural-kinds and meat, reviewed-none, qualified-synonym and vehicle-body rules)"),
        ("taxonomy_unseen_heldout7.csv:A", "held-out 7, half A (alternate rows, fixed before the run; first run 90.9%)"),
        ("taxonomy_unseen_heldout7.csv:B", "held-out 7, half B (first run 84.1%)"),
        ("taxonomy_unseen_heldout8.csv", "unseen datasets, held-out 8 (six new datasets judged and committed before the matcher ran on them; first run 95.5%, then tuned on: the rejected-sense and idiom-compound rules)"),
        ("taxonomy_unseen_heldout8.csv:A", "held-out 8, half A (alternate rows, fixed before the run; first run 93.3%)"),
        ("taxonomy_unseen_heldout8.csv:B", "held-out 8, half B (first run 97.7%)"),
        ("taxonomy_unseen_heldout9.csv", "unseen datasets, held-out 9 (five new datasets judged and committed before the matcher ran on them; first run 87.0%, then tuned on: the shared-prefix rule, reverted)"),
        ("taxonomy_unseen_heldout9.csv:A", "held-out 9, half A (alternate rows, fixed before the run; first run 84.8%)"),
        ("taxonomy_unseen_heldout9.csv:B", "held-out 9, half B (first run 89.1%)"),
        ("taxonomy_unseen_heldout10.csv", "unseen datasets, held-out 10 (five new datasets judged and committed before the matcher ran on them; first run 74.7%, then tuned on: the Latin-binomial rule)"),
        ("taxonomy_unseen_heldout10.csv:A", "held-out 10, half A (alternate rows, fixed before the run; first run 73.9%)"),
        ("taxonomy_unseen_heldout10.csv:B", "held-out 10, half B (first run 75.6%)"),
        ("taxonomy_unseen_heldout11.csv", "unseen datasets, held-out 11 (five new datasets judged and committed before the matcher ran on them; first run 89.9%, then tuned on: the taxon, participle-before-the-noun and narrowed binomial rules)"),
        ("taxonomy_unseen_heldout11.csv:A", "held-out 11, half A (alternate rows, fixed before the run; first run 88.9%)"),
        ("taxonomy_unseen_heldout11.csv:B", "held-out 11, half B (first run 90.9%)"),
        ("taxonomy_unseen_heldout12.csv", "unseen datasets, held-out 12 (five new datasets judged and committed before the matcher ran on them; first run 64.4%, then tuned on: the instance-number, shared-suffix, plaything and material-joined rules)"),
        ("taxonomy_unseen_heldout12.csv:A", "held-out 12, half A (alternate rows, fixed before the run; first run 62.2%)"),
        ("taxonomy_unseen_heldout12.csv:B", "held-out 12, half B (first run 66.7%)"),
        ("taxonomy_unseen_heldout13.csv", "unseen datasets, held-out 13 (five new datasets judged and committed before the matcher ran on them; first run 83.5%, then tuned on: the joined-number, catalogue-id and parenthesised-gloss rules)"),
        ("taxonomy_unseen_heldout13.csv:A", "held-out 13, half A (alternate rows, fixed before the run; first run 87.0%)"),
        ("taxonomy_unseen_heldout13.csv:B", "held-out 13, half B (first run 80.0%)"),
        ("taxonomy_unseen_heldout14.csv", "unseen datasets, held-out 14 (five new datasets judged and committed before the matcher ran on them; first run 96.8% on round 8's final rules, then tuned on: round 9)"),
        ("taxonomy_unseen_heldout14.csv:A", "held-out 14, half A (alternate rows, fixed before the run; first run 97.9%)"),
        ("taxonomy_unseen_heldout14.csv:B", "held-out 14, half B (first run 95.7%)"),
        ("taxonomy_unseen_heldout15.csv", "unseen datasets, held-out 15 (five new datasets judged and committed before the matcher ran on them; first run 88.9% on round 8's final rules, then tuned on: round 9)"),
        ("taxonomy_unseen_heldout15.csv:A", "held-out 15, half A (alternate rows, fixed before the run; first run 91.1%)"),
        ("taxonomy_unseen_heldout15.csv:B", "held-out 15, half B (first run 86.7%)"),
        ("taxonomy_unseen_heldout16.csv", "unseen datasets, held-out 16 (five new datasets judged and committed before the matcher ran on them; first run 94.5% on round 8's final rules, then tuned on: round 9)"),
        ("taxonomy_unseen_heldout16.csv:A", "held-out 16, half A (alternate rows, fixed before the run; first run 89.1%)"),
        ("taxonomy_unseen_heldout16.csv:B", "held-out 16, half B (first run 100.0%)"),
        ("taxonomy_unseen_heldout17.csv", "unseen datasets, held-out 17 (five new datasets judged and committed before the matcher ran on them; first run 69.6% on round 9's final rules, then tuned on: ships count as boats, taxonomy/data/target_kinds.csv, round 10 and round 12)"),
        ("taxonomy_unseen_heldout17.csv:A", "held-out 17, half A (alternate rows, fixed before the run; first run 69.6%)"),
        ("taxonomy_unseen_heldout17.csv:B", "held-out 17, half B (first run 69.6%)"),
        ("taxonomy_unseen_heldout18.csv", "unseen datasets, held-out 18 (five new datasets judged and committed before the matcher ran on them; first run 84.4% on round 9's final rules, then tuned on: round 10)"),
        ("taxonomy_unseen_heldout18.csv:A", "held-out 18, half A (alternate rows, fixed before the run; first run 86.7%)"),
        ("taxonomy_unseen_heldout18.csv:B", "held-out 18, half B (first run 82.2%)"),
        ("taxonomy_unseen_heldout19.csv", "unseen datasets, held-out 19 (five new datasets judged and committed before the matcher ran on them; first run 86.7% on round 10's final rules, then tuned on: round 11)"),
        ("taxonomy_unseen_heldout19.csv:A", "held-out 19, half A (alternate rows, fixed before the run; first run 84.4%)"),
        ("taxonomy_unseen_heldout19.csv:B", "held-out 19, half B (first run 88.9%)"),
        ("taxonomy_unseen_heldout20.csv", "unseen datasets, held-out 20 (five new datasets judged and committed before the matcher ran on them; first run 92.1% on round 10's final rules, then tuned on: round 11)"),
        ("taxonomy_unseen_heldout20.csv:A", "held-out 20, half A (alternate rows, fixed before the run; first run 86.7%)"),
        ("taxonomy_unseen_heldout20.csv:B", "held-out 20, half B (first run 97.7%)"),
        ("taxonomy_unseen_heldout21.csv", "unseen datasets, held-out 21 (five new datasets judged and committed before the matcher ran on them; first run 70.0% on round 11's final rules, then tuned on: round 12)"),
        ("taxonomy_unseen_heldout21.csv:A", "held-out 21, half A (alternate rows, fixed before the run; first run 73.3%)"),
        ("taxonomy_unseen_heldout21.csv:B", "held-out 21, half B (first run 66.7%)"),
        ("taxonomy_unseen_heldout22.csv", "unseen datasets, held-out 22 (five new datasets judged and committed before the matcher ran on them; first run 92.2% on round 11's final rules, then tuned on: round 12)"),
        ("taxonomy_unseen_heldout22.csv:A", "held-out 22, half A (alternate rows, fixed before the run; first run 91.1%)"),
        ("taxonomy_unseen_heldout22.csv:B", "held-out 22, half B (first run 93.3%)"),
        ("taxonomy_unseen_heldout23.csv", "unseen datasets, held-out 23 (five new datasets judged and committed before the matcher ran on them; first run 82.6% on round 12's final rules, then tuned on: round 13)"),
        ("taxonomy_unseen_heldout23.csv:A", "held-out 23, half A (alternate rows, fixed before the run; first run 87.0%)"),
        ("taxonomy_unseen_heldout23.csv:B", "held-out 23, half B (first run 78.3%)"),
        ("taxonomy_unseen_heldout24.csv", "unseen datasets, held-out 24 (five new datasets judged and committed before the matcher ran on them; first run 94.4% on round 12's final rules, then tuned on: round 13)"),
        ("taxonomy_unseen_heldout24.csv:A", "held-out 24, half A (alternate rows, fixed before the run; first run 95.6%)"),
        ("taxonomy_unseen_heldout24.csv:B", "held-out 24, half B (first run 93.2%)"),
        ("taxonomy_unseen_heldout25.csv", "unseen datasets, held-out 25 (five new datasets judged and committed before the matcher ran on them; first run 54.3% on round 13's final rules, then tuned on: round 14)"),
        ("taxonomy_unseen_heldout25.csv:A", "held-out 25, half A (alternate rows, fixed before the run; first run 51.1%)"),
        ("taxonomy_unseen_heldout25.csv:B", "held-out 25, half B (first run 57.4%)"),
        ("taxonomy_unseen_heldout26.csv", "unseen datasets, held-out 26 (five new datasets judged and committed before the matcher ran on them; first run 92.0% on round 13's final rules, then tuned on: round 14)"),
        ("taxonomy_unseen_heldout26.csv:A", "held-out 26, half A (alternate rows, fixed before the run; first run 93.2%)"),
        ("taxonomy_unseen_heldout26.csv:B", "held-out 26, half B (first run 90.7%)"),
        ("taxonomy_unseen_heldout27.csv", "unseen datasets, held-out 27 (five new datasets judged and committed before the matcher ran on them; first run 90.0% on round 14's final rules, then tuned on: round 15)"),
        ("taxonomy_unseen_heldout27.csv:A", "held-out 27, half A (alternate rows, fixed before the run; first run 88.9%)"),
        ("taxonomy_unseen_heldout27.csv:B", "held-out 27, half B (first run 91.1%)"),
        ("taxonomy_unseen_heldout28.csv", "unseen datasets, held-out 28 (five new datasets judged and committed before the matcher ran on them; first run 76.4% on round 14's final rules, then tuned on: round 15)"),
        ("taxonomy_unseen_heldout28.csv:A", "held-out 28, half A (alternate rows, fixed before the run; first run 72.2%)"),
        ("taxonomy_unseen_heldout28.csv:B", "held-out 28, half B (first run 80.6%)"),
        ("taxonomy_unseen_heldout29.csv", "unseen datasets, held-out 29 (five new datasets judged and committed before the matcher ran on them; first run 73.0% on round 15's final rules, then tuned on: round 16)"),
        ("taxonomy_unseen_heldout29.csv:A", "held-out 29, half A (alternate rows, fixed before the run; first run 68.9%)"),
        ("taxonomy_unseen_heldout29.csv:B", "held-out 29, half B (first run 77.3%)"),
        ("taxonomy_unseen_heldout30.csv", "unseen datasets, held-out 30 (five new datasets judged and committed before the matcher ran on them; first run 84.3% on round 15's final rules, then tuned on: round 16)"),
        ("taxonomy_unseen_heldout30.csv:A", "held-out 30, half A (alternate rows, fixed before the run; first run 80.0%)"),
        ("taxonomy_unseen_heldout30.csv:B", "held-out 30, half B (first run 88.6%)"),
        ("taxonomy_unseen_heldout31.csv", "unseen datasets, held-out 31 (six new datasets judged and committed before the matcher ran on them; first run 72.4% on round 16's final rules, then tuned on: round 17)"),
        ("taxonomy_unseen_heldout31.csv:A", "held-out 31, half A (alternate rows, fixed before the run; first run 75.0%)"),
        ("taxonomy_unseen_heldout31.csv:B", "held-out 31, half B (first run 69.8%)"),
        ("taxonomy_unseen_heldout32.csv", "unseen datasets, held-out 32 (six new datasets judged and committed before the matcher ran on them; first run 90.1% on round 16's final rules, then tuned on: round 17)"),
        ("taxonomy_unseen_heldout32.csv:A", "held-out 32, half A (alternate rows, fixed before the run; first run 84.8%)"),
        ("taxonomy_unseen_heldout32.csv:B", "held-out 32, half B (first run 95.6%)"),
        ("taxonomy_unseen_heldout33.csv", "unseen datasets, held-out 33 (five new datasets judged and committed before the matcher ran on them; first run 61.0% on round 17's final rules, then tuned on: round 18)"),
        ("taxonomy_unseen_heldout33.csv:A", "held-out 33, half A (alternate rows, fixed before the run; first run 61.0%)"),
        ("taxonomy_unseen_heldout33.csv:B", "held-out 33, half B (first run 61.0%)"),
        ("taxonomy_unseen_heldout34.csv", "unseen datasets, held-out 34 (five new datasets judged and committed before the matcher ran on them; first run 89.9% on round 17's final rules, then tuned on: the numbered-stem reading after it, round 18)"),
        ("taxonomy_unseen_heldout34.csv:A", "held-out 34, half A (alternate rows, fixed before the run; first run 93.3%)"),
        ("taxonomy_unseen_heldout34.csv:B", "held-out 34, half B (first run 86.4%)"),
        ("taxonomy_unseen_heldout35.csv", "unseen datasets, held-out 35 (six new datasets judged and committed before the matcher ran on them; first run 80.5% on round 18's final rules, then tuned on: round 19)"),
        ("taxonomy_unseen_heldout35.csv:A", "held-out 35, half A (alternate rows, fixed before the run; first run 81.8%)"),
        ("taxonomy_unseen_heldout35.csv:B", "held-out 35, half B (first run 79.1%)"),
        ("taxonomy_unseen_heldout36.csv", "unseen datasets, held-out 36 (six new datasets judged and committed before the matcher ran on them; first run 94.1% on round 18's final rules, then tuned on: round 19)"),
        ("taxonomy_unseen_heldout36.csv:A", "held-out 36, half A (alternate rows, fixed before the run; first run 95.3%)"),
        ("taxonomy_unseen_heldout36.csv:B", "held-out 36, half B (first run 92.9%)"),
        ("taxonomy_unseen_heldout37.csv", "unseen datasets, held-out 37 (five new datasets judged and committed before the matcher ran on them; first run 68.5% on round 18's and round 19's final rules, then tuned on: round 20)"),
        ("taxonomy_unseen_heldout37.csv:A", "held-out 37, half A (alternate rows, fixed before the run; first run 62.2%)"),
        ("taxonomy_unseen_heldout37.csv:B", "held-out 37, half B (first run 75.0%)"),
        ("taxonomy_unseen_heldout38.csv", "unseen datasets, held-out 38 (six new datasets judged and committed before the matcher ran on them; first run 76.5% on round 18's and round 19's final rules, then tuned on: round 20)"),
        ("taxonomy_unseen_heldout38.csv:A", "held-out 38, half A (alternate rows, fixed before the run; first run 76.7%)"),
        ("taxonomy_unseen_heldout38.csv:B", "held-out 38, half B (first run 76.2%)"),
        ("taxonomy_unseen_heldout39.csv", "unseen datasets, held-out 39 (five new datasets judged and committed before the matcher ran on them; first run 87.9% on round 20's final rules, then tuned on: round 21)"),
        ("taxonomy_unseen_heldout39.csv:A", "held-out 39, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout39.csv:B", "held-out 39, half B"),
        ("taxonomy_unseen_heldout40.csv", "unseen datasets, held-out 40 (five new datasets judged and committed before the matcher ran on them; first run 54.3% on round 20's final rules, then tuned on: round 21)"),
        ("taxonomy_unseen_heldout40.csv:A", "held-out 40, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout40.csv:B", "held-out 40, half B"),
        ("taxonomy_unseen_heldout41.csv", "unseen datasets, held-out 41 (five new datasets judged and committed before the matcher ran on them; first run 85.1% on round 21's final rules, then tuned on: round 22)"),
        ("taxonomy_unseen_heldout41.csv:A", "held-out 41, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout41.csv:B", "held-out 41, half B"),
        ("taxonomy_unseen_heldout42.csv", "unseen datasets, held-out 42 (five new datasets judged and committed before the matcher ran on them; first run 85.6% on round 21's final rules, then tuned on: round 22)"),
        ("taxonomy_unseen_heldout42.csv:A", "held-out 42, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout42.csv:B", "held-out 42, half B"),
        ("taxonomy_unseen_heldout43.csv", "unseen datasets, held-out 43 (five new datasets judged and committed before the matcher ran on them; first run 78.9% on round 22's final rules, then tuned on: round 23)"),
        ("taxonomy_unseen_heldout43.csv:A", "held-out 43, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout43.csv:B", "held-out 43, half B"),
        ("taxonomy_unseen_heldout44.csv", "unseen datasets, held-out 44 (five new datasets judged and committed before the matcher ran on them; first run 79.3% on round 22's final rules, then tuned on: round 23)"),
        ("taxonomy_unseen_heldout44.csv:A", "held-out 44, half A (alternate rows, fixed before the run)"),
        ("taxonomy_unseen_heldout44.csv:B", "held-out 44, half B"),
    ):
        name, _, half = name.partition(":")
        rows = [r for r in judged(name) if not half or r["half"] == half]
        present = [s for s in UNSEEN_LISTS if any(r["source"] == s for r in rows)]
        wrong = [r for r in rows if (unseen[row_key(r)].target or "") != r["target"]]
        per = ", ".join(f"{s} {sum(r['source'] == s for r in rows) - sum(w['source'] == s for w in wrong)}/{sum(r['source'] == s for r in rows)}" for s in present)
        names = ", ".join(f"{w['source_name']} ({w['source']}: {unseen[row_key(w)].target or 'none'}, judged {w['target'] or 'none'})" for w in wrong)
        ok = len(rows) - len(wrong)
        lines.append(f"| {label} | {len(rows)} | {ok} | {ok / len(rows):.1%} | {per}; wrong: {names} |")
    checked = judged("taxonomy_shipped_check.csv")
    check = []
    for source in mapping.SOURCES:
        rows = [r for r in checked if r["source"] == source]
        right = sum(r["verdict"] == "right" for r in rows)
        check.append(f"| {source} | {len(rows)} | {right} | {right / len(rows):.1%} |")
    coverage = []
    for source in mapping.SOURCES:
        rows = mapping.read_table(source)
        freq = frequencies(source)
        total = sum(freq.values())
        mapped = [r for r in rows if r["target"]]
        share = sum(freq[int(r["source_category_id"])] for r in mapped) / total
        basis = "real instance_count" if source == "lvis_v1" else "generator frequencies"
        coverage.append(f"| {source} | {len(rows)} | {len(mapped)} | {share:.1%} ({basis}) |")
    targets_hit = {r["target"] for s in mapping.SOURCES for r in mapping.read_table(s) if r["target"]}
    text = "\n".join(
        [
            "## Taxonomy",
            "",
            f"`bench/taxonomy_quality.py`, {time.strftime('%Y-%m-%d')}. Automatic matcher (no overrides) against hand-checked targets; "
            f"a full `taxonomy build` takes {build_seconds:.1f} s.",
            "",
            "| sample | classes | right | accuracy | wrong |",
            "|---|---|---|---|---|",
            *lines,
            "",
            HELDOUT3,
            "",
            "Hand check of the shipped tables (with overrides) after the issue-12 rule fixes, 40 random rows per source "
            "(`tests/data/taxonomy_shipped_check.csv`); every row whose target the rebuild changed was checked as well:",
            "",
            "| source | rows checked | right | accuracy |",
            "|---|---|---|---|",
            *check,
            "",
            CHANGED_ROWS,
            "",
            "Coverage of the shipped tables (with overrides):",
            "",
            "| source | classes | mapped | instances landing in the 600 |",
            "|---|---|---|---|",
            *coverage,
            "",
            f"{len(targets_hit)} of the 600 targets receive at least one source class.",
            "",
        ]
    )
    print(text)
    if args.write_results:
        replace_section("## Taxonomy", text)


if __name__ == "__main__":
    main()
