"""Demo content for the kyphoinfo patient-education CMS.

All text here was written for the demo. The practice and doctor are
fictional examples, not real people or places.
"""

GUIDE = {
    "title": "Patients' Guide to Spinal Fractures & Kyphoplasty",
    "slug": "spinal-fractures-and-kyphoplasty",
    "summary": (
        "A plain guide to broken bones in the back. Learn what a spinal "
        "fracture is, how kyphoplasty can help, and how to take care of "
        "yourself after."
    ),
    "introduction": (
        "<p>Back pain from a broken bone in your spine can be scary. "
        "You are not alone, and there is help. This guide uses simple words "
        "to explain what is going on and what your choices are.</p>"
        "<p>Read it at your own pace. You can read one part at a time. "
        "Write down any questions and bring them to your next visit.</p>"
    ),
}

ARTICLES = [
    {
        "slug": "understanding-spinal-compression-fractures",
        "title": "Understanding Spinal Compression Fractures",
        "subtitle": "What happens when a bone in your back breaks",
        "teaser": (
            "Learn what a compression fracture is, why it happens, how it "
            "feels, and how doctors find and treat it."
        ),
        "introduction": (
            "<p>Your spine is the column of bones that runs down the middle "
            "of your back. Each of these small bones is called a "
            "<strong>vertebra</strong>. When there is more than one, we say "
            "<strong>vertebrae</strong>.</p>"
            "<p>A <strong>compression fracture</strong> means one of these "
            "bones has cracked and been squashed flat. Doctors may call it a "
            "VCF. It is short for vertebral compression fracture. Most often "
            "the front of the bone sinks down more than the back. This gives "
            "the bone a wedge shape, like a slice of pie.</p>"
        ),
        "hero": {
            "illustration": "fracture",
            "alt": (
                "Drawing of a stack of spine bones seen from the side. One bone "
                "in the middle is squashed lower at the front, so it looks "
                "like a wedge."
            ),
            "caption": "A compression fracture makes the bone flatter at the front.",
        },
        "steps_heading": "What happens at your first visit",
        "steps": [
            (
                "Talk about your pain",
                (
                    "<p>Your doctor will ask when the pain began and what makes "
                    "it better or worse. Tell them about any falls, even small "
                    "ones. Bring a list of all the medicines you take.</p>"
                ),
            ),
            (
                "Have a check of your back",
                (
                    "<p>The doctor will gently press on your back and watch how "
                    "you move. They will also test the strength and feeling in "
                    "your legs.</p>"
                ),
            ),
            (
                "Get pictures of your spine",
                (
                    "<p>You will most likely have an x-ray. You may also need an "
                    "MRI or a CT scan. These scans show more detail. They can "
                    "tell if the break is new or old.</p>"
                ),
            ),
            (
                "Check how strong your bones are",
                (
                    "<p>A <strong>bone density test</strong> shows if your bones "
                    "are thin. It is quick and does not hurt. You lie still on a "
                    "table while a scanner passes over you.</p>"
                ),
            ),
            (
                "Make a plan together",
                (
                    "<p>Your doctor will explain what they found. Then you will "
                    "choose a plan that fits you. Ask as many questions as you "
                    "like.</p>"
                ),
            ),
        ],
        "closing": (
            "<h3>Why these breaks happen</h3>"
            "<p>The most common cause is <strong>osteoporosis</strong>. This "
            "means your bones have become thin and weak. Thin bones can break "
            "from something small. It might be bending over, lifting a bag, "
            "a hard cough, or a small fall. Some people do not know what "
            "caused it.</p>"
            "<p>A strong blow can also break a healthy bone. This might be a "
            "bad fall or a car crash. Less often, a tumor or cancer in the "
            "spine makes the bone weak.</p>"
            "<h3>How it can feel</h3>"
            "<ul>"
            "<li>Back pain that starts all of a sudden</li>"
            "<li>Pain that is worse when you stand or walk</li>"
            "<li>Pain that gets better when you lie down</li>"
            "<li>Getting shorter over time</li>"
            "<li>A bent or hunched back</li>"
            "</ul>"
            "<p>Some people feel no pain at all. The break is found by chance "
            "on an x-ray.</p>"
            "<h3>How it is treated</h3>"
            "<p>Many of these breaks heal on their own in a few weeks or "
            "months. Your doctor may suggest:</p>"
            "<ul>"
            "<li>Rest for a short time, but not too long in bed</li>"
            "<li>Medicine for pain</li>"
            "<li>A back brace to support you</li>"
            "<li>Gentle exercise with a trained coach, called physical "
            "therapy</li>"
            "<li>Medicine to make your bones stronger</li>"
            "</ul>"
            "<p>Sometimes the pain does not get better. Then a small "
            "procedure may help. One is called <strong>vertebroplasty</strong>. "
            "Another is called <strong>kyphoplasty</strong>. In both, the "
            "doctor puts a special cement into the broken bone to hold it "
            "firm. You can read about kyphoplasty in the next part of this "
            "guide.</p>"
        ),
        "facts": [
            {
                "key": "common_cause",
                "label": "Most common cause",
                "value": "Thin, weak bones (osteoporosis)",
                "source": "",
            },
            {
                "key": "main_symptom",
                "label": "Main sign",
                "value": "Sudden back pain that eases when you lie down",
                "source": "",
            },
            {
                "key": "diagnosis",
                "label": "How it is found",
                "value": "An x-ray, and sometimes an MRI or CT scan",
                "source": "",
            },
            {
                "key": "bone_test",
                "label": "Bone check",
                "value": "A quick bone density test that does not hurt",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>Call your doctor or get help right away if you have any of "
            "these:</p>"
            "<ul>"
            "<li>Back pain that gets much worse all of a sudden</li>"
            "<li>Weak legs, or legs that give way</li>"
            "<li>Numbness or tingling in your legs or feet</li>"
            "<li>Trouble holding or passing urine or stool</li>"
            "<li>A fever along with back pain</li>"
            "</ul>"
            "<p>If you cannot reach your doctor, call 911 or go to the "
            "nearest emergency room.</p>"
        ),
        "references": [],
    },
    {
        "slug": "how-balloon-kyphoplasty-works",
        "title": "How Balloon Kyphoplasty Works",
        "subtitle": "Step by Step",
        "teaser": (
            "See what happens during kyphoplasty, from the first small cut "
            "to the cement that holds your bone firm."
        ),
        "introduction": (
            "<p><strong>Kyphoplasty</strong> is a treatment for a spine bone "
            "that has been squashed by a break. It is done through a tiny cut "
            "in your skin. Your back is not opened up. Doctors call this "
            "<strong>minimally invasive</strong>.</p>"
            "<p>It is a lot like another treatment called vertebroplasty. The "
            "main difference is a small balloon. The balloon lifts the "
            "squashed bone back up toward its normal height. Then the doctor "
            "fills the space with cement.</p>"
        ),
        "hero": {
            "illustration": "balloon",
            "alt": (
                "Drawing of a spine bone seen from the side. A thin tube goes "
                "into the bone, and a small balloon at its tip is blown up "
                "inside the bone."
            ),
            "caption": "A small balloon gently lifts the broken bone.",
        },
        "steps_heading": "How the procedure works, step by step",
        "steps": [
            (
                "Making a path to the bone",
                (
                    "<p>The doctor makes a small cut in the skin of your back. "
                    "They slide a thin, hollow tube into the broken bone. X-ray "
                    "pictures help them guide it to just the right spot. Then a "
                    "tiny balloon goes in through the tube.</p>"
                ),
            ),
            (
                "Filling the balloon",
                (
                    "<p>The doctor fills the balloon slowly and with care. As it "
                    "grows, it pushes the squashed bone back up. This can give "
                    "back some of the height the bone lost.</p>"
                ),
            ),
            (
                "Taking the balloon out",
                (
                    "<p>Next the balloon is let down and taken out. This leaves "
                    "an empty space inside the bone. The space is ready to be "
                    "filled.</p>"
                ),
            ),
            (
                "Filling the space with cement",
                (
                    "<p>The doctor fills the space with a special bone cement. It "
                    "is made for use in the body. It starts out thick, like "
                    "toothpaste. The cement keeps the bone from sinking down "
                    "again.</p>"
                ),
            ),
            (
                "Letting the cement set",
                (
                    "<p>The cement gets hard in a few minutes. It works like a "
                    "cast on the inside of the bone. It holds the bone firm and "
                    "steady. Sometimes the doctor does these steps from both "
                    "sides of the bone.</p>"
                ),
            ),
        ],
        "closing": (
            "<p>When the cement is hard, the doctor takes out the tube. The "
            "small cut is closed with a stitch, tape, or glue and covered "
            "with a bandage. You usually do not need big stitches. From start "
            "to finish, the procedure takes {{ fact:duration }}.</p>"
            "<p>You will then rest in a recovery room. Nurses will watch you "
            "for a while. They will check how you feel and help you stand up "
            "for the first time. Your care team will tell you when you are "
            "ready to leave ({{ fact:hospital_stay }}).</p>"
        ),
        # The closing reads duration and hospital_stay inside its sentences,
        # with the shared value or a practice's own: hence the lower case.
        "facts": [
            {
                "key": "duration",
                "label": "How long it takes",
                "value": "about half an hour for each treated bone",
                "source": "",
            },
            {
                "key": "hospital_stay",
                "label": "Time in hospital",
                "value": "most people go home within a day",
                "source": "",
            },
            {
                "key": "anaesthesia",
                "label": "Keeping you comfortable",
                "value": (
                    "Your care team will choose. You may get numbing medicine "
                    "and medicine to help you relax. Or you may be fully "
                    "asleep."
                ),
                "source": "",
            },
            {
                "key": "cut_size",
                "label": "Size of the cut",
                "value": "About as wide as the tip of your finger",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>After you go home, call your doctor right away if you "
            "have:</p>"
            "<ul>"
            "<li>A fever or chills</li>"
            "<li>Redness, swelling, or fluid coming from the small cut</li>"
            "<li>Back pain that is much worse than before</li>"
            "<li>New weakness, numbness, or tingling in your legs</li>"
            "<li>Trouble with your bladder or bowels</li>"
            "</ul>"
            "<p>Call 911 if you have chest pain or trouble breathing.</p>"
        ),
        "references": [],
    },
    {
        "slug": "benefits-of-balloon-kyphoplasty",
        "title": "Benefits of Balloon Kyphoplasty",
        "subtitle": "What it can do for you, and how to heal well after",
        "teaser": (
            "Find out how kyphoplasty may help, what the risks are, and what "
            "to do at home as you heal."
        ),
        "introduction": (
            "<p>Kyphoplasty is done through a very small cut. That is good "
            "news for your body. Here is what it can mean for you:</p>"
            "<ul>"
            "<li>The cut is about the size of your fingertip.</li>"
            "<li>You lose very little blood.</li>"
            "<li>Most people go home the same day or the next day.</li>"
            "<li>Many people feel less pain soon, often in a day or two.</li>"
            "<li>It can give back some of the height the bone lost.</li>"
            "<li>It may help you stand up straighter.</li>"
            "</ul>"
            "<p>Kyphoplasty does not help everyone in the same way. Your "
            "doctor can tell you what you may expect.</p>"
        ),
        "hero": {
            "illustration": "recovery",
            "alt": (
                "Drawing of the spine from the side. The treated bone is back "
                "to its full height and filled with speckled bone cement. Next "
                "to it, a simple figure walks upright."
            ),
            "caption": "Most people can get up and walk soon after.",
        },
        "steps_heading": "Taking care of yourself after the procedure",
        "steps": [
            (
                "Rest for the first day",
                (
                    "<p>Take it easy on the first day. Have someone drive you "
                    "home. It helps if a friend or family member can stay with "
                    "you that night.</p>"
                ),
            ),
            (
                "Look after the small cut",
                (
                    "<p>Keep the bandage clean and dry. Your care team will tell "
                    "you when you can shower. Do not take a bath or swim until "
                    "they say it is OK.</p>"
                ),
            ),
            (
                "Get moving slowly",
                (
                    "<p>Short walks are good for you. Start slowly and add a "
                    "little more each day. Do not lift heavy things or twist "
                    "your back until your doctor says you can.</p>"
                ),
            ),
            (
                "Take medicine as directed",
                (
                    "<p>Your back may be sore for a few days where the tube went "
                    "in. Take pain medicine the way you were told. An ice pack "
                    "on the sore spot may also help.</p>"
                ),
            ),
            (
                "Go to your follow-up visit",
                (
                    "<p>Your doctor will want to see you again. They will check "
                    "how you are healing. This is a good time to ask any "
                    "questions you still have.</p>"
                ),
            ),
            (
                "Protect your bones",
                (
                    "<p>If you have thin bones, treat them to help stop new "
                    "breaks. Take any bone medicine you are given. Get enough "
                    "calcium and vitamin D. Make your home safe to avoid falls. "
                    "Clear the floors, add good lights, and use grab bars.</p>"
                ),
            ),
        ],
        "closing": (
            "<h3>The risks, in plain words</h3>"
            "<p>Every treatment has some risk. Problems with kyphoplasty are "
            "not common. But it is good to know about them:</p>"
            "<ul>"
            "<li>A little cement can leak out of the bone. Most of the time "
            "this causes no harm.</li>"
            "<li>The cut can get infected.</li>"
            "<li>There can be some bleeding.</li>"
            "<li>Harm to a nerve can happen, but it is rare.</li>"
            "<li>Other bones near the treated one can break later.</li>"
            "</ul>"
            "<p>That last risk is why it matters so much to treat thin bones. "
            "Strong bones are less likely to break again. Talk with your "
            "doctor about what is right for you.</p>"
        ),
        "facts": [
            {
                "key": "recovery",
                "label": "Back to your usual day",
                "value": (
                    "Many people get back to light daily tasks within a few days"
                ),
                "source": "",
            },
            {
                "key": "follow_up",
                "label": "Follow-up visit",
                "value": "Usually within a few weeks, to check how you heal",
                "source": "",
            },
            {
                "key": "pain_relief",
                "label": "Pain relief",
                "value": "Many people feel better within a day or two",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>Call your doctor right away if you have:</p>"
            "<ul>"
            "<li>A fever, or a cut that is red, hot, swollen, or leaking</li>"
            "<li>Back pain that gets worse instead of better</li>"
            "<li>New weakness, numbness, or tingling in your legs</li>"
            "<li>Trouble with your bladder or bowels</li>"
            "<li>New, sudden back pain in a different spot</li>"
            "</ul>"
            "<p>Call 911 if you have chest pain or trouble breathing.</p>"
        ),
        "references": [],
    },
]

PRACTICE = {
    "name": "Example Spine Center",
    "slug": "example-spine-center",
    "description": (
        "Example Spine Center is made-up example data for this demo. It is "
        "not a real practice, and you cannot book a real visit here. It "
        "shows how a clinic page looks in the guide."
    ),
    "website": "https://example.com/",
    "booking_url": "https://example.com/appointments",
    "locations": [
        {
            "name": "Main clinic",
            "address": "100 Example Avenue\nSpringfield, ST 00000",
            "phone": "+1 555 010 0100",
            "opening_hours": "Monday to Friday, 8 am to 5 pm",
        }
    ],
}

DOCTOR = {
    "name": "Dr. Jordan Example",
    "slug": "jordan-example",
    "credentials": "MD",
    "specialty": "Interventional spine care",
    "biography": (
        "Dr. Jordan Example is a made-up doctor. This is an example profile "
        "for the demo, not a real person. It shows how a doctor's page looks "
        "in the guide."
    ),
}

# A second example practice, so that the same article can be read with two
# practices' own facts side by side (/p/<practice>/...). Its doctor has signed
# off its values; everyone else reads the shared ones above.
PRACTICE_2 = {
    "name": "Lakeside Spine Clinic",
    "slug": "lakeside-spine-clinic",
    "description": (
        "Lakeside Spine Clinic is invented for this demo. It is not a real "
        "clinic, and you cannot book a visit here. It shows how a second "
        "practice tells its own patients its own facts in the shared guide."
    ),
    "website": "https://example.org/",
    "booking_url": "https://example.org/appointments",
    "locations": [
        {
            "name": "Lakeside clinic",
            "address": "200 Example Lane\nLakeside, ST 00000",
            "phone": "+1 555 010 0200",
            "opening_hours": "Monday to Thursday, 7 am to 4 pm",
        }
    ],
}

DOCTOR_2 = {
    "name": "Dr. Riley Sample",
    "slug": "riley-sample",
    "credentials": "MD",
    "specialty": "Spine surgery",
    "biography": (
        "Dr. Riley Sample is an invented doctor, not a real person. This "
        "example profile belongs to Lakeside Spine Clinic, and Dr. Sample "
        "checks the facts that the clinic gives its own patients."
    ),
}

# The practices' own values of facts in the shared articles (article slug and
# fact key as in ARTICLES), each signed off by a doctor of that practice.
FACT_OVERRIDES = [
    {
        "practice": PRACTICE_2["slug"],
        "signed_by": DOCTOR_2["slug"],
        "article": "how-balloon-kyphoplasty-works",
        "key": "duration",
        "value": "one to two hours per treated level",
    },
    {
        "practice": PRACTICE_2["slug"],
        "signed_by": DOCTOR_2["slug"],
        "article": "how-balloon-kyphoplasty-works",
        "key": "hospital_stay",
        "value": "usually one night in hospital",
    },
]

# Each explained in plain words. Articles link the first use of any of a term's
# names (term, abbreviation, "also called") to its entry on the glossary page.
GLOSSARY = [
    {
        "term": "anaesthesia",
        "abbreviation": "",
        "also_called": "anesthesia, anaesthetic, anesthetic",
        "definition": (
            "Medicine that stops you from feeling pain during a treatment. It "
            "can numb one part of your body, or put you fully to sleep."
        ),
    },
    {
        "term": "bone cement",
        "abbreviation": "",
        "also_called": "cement",
        "definition": (
            "A special paste made for use in the body. The doctor puts it into "
            "a broken bone. It gets hard in a few minutes and holds the bone "
            "firm."
        ),
    },
    {
        "term": "bone density test",
        "abbreviation": "",
        "also_called": "bone density scan, DXA scan",
        "definition": (
            "A quick scan that shows how strong your bones are. You lie still "
            "on a table. It does not hurt."
        ),
    },
    {
        "term": "computed tomography",
        "abbreviation": "CT",
        "also_called": "CT scan, CAT scan",
        "definition": (
            "A scan that uses x-rays and a computer to take pictures of the "
            "inside of your body in thin slices. It shows bones in detail."
        ),
    },
    {
        "term": "kyphoplasty",
        "abbreviation": "",
        "also_called": "balloon kyphoplasty",
        "definition": (
            "A treatment for a broken spine bone. A small balloon lifts the "
            "bone back up. Then the space is filled with bone cement."
        ),
    },
    {
        "term": "magnetic resonance imaging",
        "abbreviation": "MRI",
        "also_called": "MRI scan",
        "definition": (
            "A scan that uses a strong magnet to take pictures of the inside "
            "of your body. It can show if a break in a bone is new or old."
        ),
    },
    {
        "term": "minimally invasive",
        "abbreviation": "",
        "also_called": "",
        "definition": (
            "Done through a very small cut in the skin, without opening up your body."
        ),
    },
    {
        "term": "osteoporosis",
        "abbreviation": "",
        "also_called": "thin bones",
        "definition": (
            "An illness that makes bones thin and weak. Weak bones can break "
            "from a small fall, or even from a cough."
        ),
    },
    {
        "term": "physical therapy",
        "abbreviation": "",
        "also_called": "physiotherapy",
        "definition": (
            "Gentle exercise with a trained coach. It helps you get stronger "
            "and move more easily."
        ),
    },
    {
        "term": "vertebra",
        "abbreviation": "",
        "also_called": "vertebrae, spine bone, spine bones",
        "definition": (
            "One of the small bones that stack up to make your spine. When "
            "there is more than one, we say vertebrae."
        ),
    },
    {
        "term": "vertebral compression fracture",
        "abbreviation": "VCF",
        "also_called": "compression fracture, compression fractures",
        "definition": (
            "A break in a spine bone that squashes the bone flat. Often the "
            "front of the bone sinks more than the back."
        ),
    },
    {
        "term": "vertebroplasty",
        "abbreviation": "",
        "also_called": "",
        "definition": (
            "A treatment for a broken spine bone. The doctor puts bone cement "
            "into the bone through a thin needle to hold it firm. No balloon "
            "is used."
        ),
    },
    {
        "term": "X-ray",
        "abbreviation": "",
        "also_called": "X-rays",
        "definition": (
            "A quick picture of the inside of your body. It shows your bones "
            "and does not hurt."
        ),
    },
]
