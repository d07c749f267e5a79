"""The articles the shell tests index next to the seed (tests/test_repl.py, test_repl_pty.py,
test_opensearch_shell.py): Aleppo in two more, so that ranking by count and paging show."""

from __future__ import annotations

ARTICLES = {
    "aid-convoy-aleppo.txt": "Aid convoy reaches Aleppo after weeks of waiting\n\n"
    "A World Food Programme convoy arrived in Aleppo on Monday with flour for 40,000 "
    "people. The United Nations said the road from Damascus to Aleppo was open again for aid.",
    "aleppo-hospitals.txt": "Aleppo hospitals run short of fuel as winter begins\n\n"
    "Doctors in Aleppo said on Wednesday that hospitals had fuel for three more days. The World "
    "Health Organization sent 12 tons of medicine and aid to the city.",
    "alexandria-floods.txt": "Floods sweep through the streets of Alexandria\n\n"
    "Heavy rain flooded streets in Alexandria, Egypt, on Tuesday. The Egyptian Red Crescent "
    "distributed aid to 2,000 families whose homes were damaged.",
    "deir-airdrop.txt": "Second airdrop of aid over Deir al-Zor\n\n"
    "Planes dropped 21 tons of aid over Deir al-Zor on Friday. The World Food Programme said "
    "the airdrop reached 100,000 people in the besieged city.",
}
