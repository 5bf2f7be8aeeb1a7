"""English versions of the demo's German texts, for the translations the demo loader creates.

Keyed by the German text (as ``demo_content`` defines it), so a German text that changes simply
falls back to itself in English until its English version here is updated. Texts containing
HTML are rich text segments and are written with their inline tags.
"""

from __future__ import annotations

from django.utils.html import strip_tags

from home import demo_content as de

ENGLISH: dict[str, str] = {
    # Home page
    de.HOME["title"]: "Home",
    strip_tags(de.HOME["intro"]): (
        "This is the example site of <b>kokreative-wagtail</b>: page types, content blocks and a "
        "JSON API for the programme “The Co-creative Municipality”."
    ),
    # Privacy page
    de.PRIVACY["title"]: "Privacy policy",
    "Dies ist die Datenschutzerklärung der Beispielseite. Eine Kommune setzt hier ihre eigene ein: "
    "wer verantwortlich ist, welche Daten die Beratungsformulare speichern und wie lange "
    "(Einstellungen → Einstellungen Kokreative Kommune → Aufbewahrungsdauer), an wen "
    "Benachrichtigungen gehen und welche Cookies nur mit eurer Einwilligung gesetzt werden "
    "(Cookie-Einstellungen im Fußbereich jeder Seite).": (
        "This is the privacy policy of the example site. A municipality puts its own here: who is "
        "responsible, which data the consultation forms store and for how long (Settings → "
        "Kokreative Kommune settings → retention), who receives notifications, and which "
        "cookies are set only with your consent (cookie settings in the footer of every page)."
    ),
    "Die Einwilligungen werden pseudonym nachgewiesen: ohne IP-Adresse, ohne Browserkennung, "
    "ohne Bezug zu einem Konto.": (
        "Consents are recorded pseudonymously: without IP address, without browser "
        "identification, without reference to an account."
    ),
    # Programme page
    de.PROGRAMME_TITLE: "The Co-creative Municipality",
    de.AUDIENCE_QUESTION: "Working in administration or in politics?",
    de.PROGRAMME_INTRO[0]: (
        "For us, a co-creative municipality means a new way for all local actors in towns and "
        "municipalities to work together. We are convinced that we can only meet the "
        "transformative challenges ahead if we fundamentally change the way we work together. "
        "That is why we see participation as a core competence for the future of every "
        "municipality: in administration, in politics and in civil society."
    ),
    de.PROGRAMME_INTRO[1]: (
        "With our trainings and workshops we help you build this competence and the structures "
        "it needs. Together we develop a new attitude."
    ),
    de.ELEMENTS_HEADING: "The elements of the Co-creative Municipality",
    de.ELEMENTS_INTRO: (
        "The Co-creative Municipality meets the complex challenges of our time and offers "
        "solutions for the dysfunctional structures we work in. It builds the structures the "
        "future needs:"
    ),
    de.IMAGE_ALT_TEXT: (
        "Four coloured tiles with the names of the elements of the Co-creative Municipality: "
        "cultural change, spatial structures, process structures and governance structures."
    ),
    de.IMAGE_CAPTION: (
        "The four elements build the structures of a co-creative municipality for the future."
    ),
    de.PARTICIPATION_HEADING: "Participation: a new core competence of municipalities",
    "partizipation": "participation",  # the heading's anchor
    de.PARTICIPATION_PARAGRAPHS[0]: (
        "Inclusive participation processes only succeed when municipalities build the "
        "competences, structures and technologies for them themselves."
    ),
    de.PARTICIPATION_PARAGRAPHS[1]: (
        "When their own staff, existing or newly hired, hold the knowledge, experience and "
        "methods, the dependence on external service providers drops considerably. Participation "
        "should become a new core competence of the administration, one that need not be "
        "outsourced."
    ),
    de.PARTICIPATION_PARAGRAPHS[2]: (
        "This is why we rely on an enabling approach that puts municipalities, cities and towns "
        "in a position to run the urgently needed participation processes successfully "
        "themselves. With the Co-creative Municipality we want to show how participation is "
        "institutionalised as a competence in municipal administrations."
    ),
    de.CTA_HEADING: "Do you see this need for competence in your municipality too?",
    de.CTA_LINK_LABEL: "Book a consultation!",
    de.OFFERS_HEADING: "Our offers",
    # Elements (snippets and element pages)
    "Kultureller Wandel": "Cultural change",
    "Raumstrukturen": "Spatial structures",
    "Prozessstrukturen": "Process structures",
    "Governancestrukturen": "Governance structures",
    de.ELEMENTS[0].summary: (
        "People and a culture of cooperation are at the centre of shaping a community fit for "
        "the future."
    ),
    de.ELEMENTS[0].paragraphs[0]: (
        "Together with you we establish a transparent, inclusive, productive and creative culture "
        "of cooperation. We build skills for community organizing, for open forms of "
        "communication and action and for a productive, shared atmosphere. All of it grounded in "
        "our conviction that a co-creative culture of cooperation and the structures to match "
        "advance our project ideas instead of hindering them."
    ),
    de.ELEMENTS[1].summary: (
        "Rooms and places shape how we work, meet and treat each other. That is why we need good "
        "spaces."
    ),
    de.ELEMENTS[1].paragraphs[0]: (
        "We design municipal spaces for co-creation and their equipment: city workshops, labs, "
        "incubators, pop-ups and more. We create virtual spaces for working together."
    ),
    de.ELEMENTS[1].paragraphs[1]: (
        "We train competences in hosting, co-creation and facilitation of design, planning and "
        "project work."
    ),
    de.ELEMENTS[2].summary: (
        "For the best result we always keep the best possible process in view. Procedures, "
        "formats, methods: a well-tuned process determines our result."
    ),
    de.ELEMENTS[2].paragraphs[0]: (
        "We develop tailor-made procedures and formats. We consider the whole process and its "
        "dynamics, from the first concept to making the results last."
    ),
    de.ELEMENTS[2].paragraphs[1]: (
        "We teach an understanding of processes and the skills to facilitate them. We pass our "
        "methodical toolkit on to all local actors."
    ),
    de.ELEMENTS[3].summary: (
        "Bad governance can prevent a lot, good governance makes things possible. Rules, "
        "decision paths and interfaces decide whether ideas succeed."
    ),
    de.ELEMENTS[3].paragraphs[0]: (
        "We develop and transform organisations, institutions, statutes, rules of procedure and "
        "procedural rules by rewriting their codes."
    ),
    de.ELEMENTS[3].paragraphs[1]: (
        "We teach competences in organisational development and in voting and decision models, "
        "and train how to design rules, workflows and interfaces for project work."
    ),
    de.EMBED["title"]: "Example video: an embedded YouTube video",
    de.EMBED["caption"]: "The video loads only after consent to “External media”.",
    # Audiences
    "Verwaltung": "Administration",
    "Politik": "Politics",
    "Zivilgesellschaft": "Civil society",
    # Offers
    de.OFFER_INDEX_TITLE: "All offers of the Co-creative Municipality",
    de.OFFER_INDEX_INTRO: "Here you find all offers that are part of the Co-creative Municipality.",
    "Trainings und Workshops": "Trainings and workshops",
    "Inhouse und Keynotes": "In-house and keynotes",
    de.OFFERS[0].text: (
        "Are you introducing participation processes into your everyday administrative work? We "
        "help you build the competences needed in administration and politics. We teach and "
        "train small and large groups in every aspect of municipal participation: from the right "
        "call for tenders through concept, process design, delivery and follow-up to "
        "implementing the results. We build your participation competence."
    ),
    de.first_sentences(de.OFFERS[0].text): (
        "Are you introducing participation processes into your everyday administrative work? We "
        "help you build the competences needed in administration and politics."
    ),
    de.OFFERS[1].text: (
        "Do you need targeted training for yourself and your team? Should building competences "
        "move further into the centre of your administration? Or do you simply want to inspire "
        "and shake people up, and are looking for unusual content for talks, keynotes and "
        "transformation events? Then get in touch and let us tell you about your options."
    ),
    de.first_sentences(de.OFFERS[1].text): (
        "Do you need targeted training for yourself and your team? Should building competences "
        "move further into the centre of your administration?"
    ),
    de.OFFERS[2].text: (
        "Are you looking for exchange with other administrative staff and politicians who work "
        "for municipalities, cities and regions fit for the future and want to shape them "
        "co-creatively? Then join our Community of Practice! In our community of learning and "
        "action we bring together people from different cities and municipalities. Together we "
        "discuss models, methods and case studies from our daily work and dive into the "
        "individual elements of the Co-creative Municipality."
    ),
    de.first_sentences(de.OFFERS[2].text): (
        "Are you looking for exchange with other administrative staff and politicians who work "
        "for municipalities, cities and regions fit for the future and want to shape them "
        "co-creatively? Then join our Community of Practice!"
    ),
    de.OFFERS[2].duration: "every four weeks on Thursdays, 4:30–6 pm",
    # Events
    de.EVENT_INDEX_TITLE: "Events",
    de.EVENT_INDEX_INTRO: (
        "Here you find the next events of the Co-creative Municipality: info salons and the "
        "meetings of our Community of Practice."
    ),
    de.EVENTS[0].title: "Info salon September 2022",
    de.EVENTS[0].teaser: (
        "In the info salon we present the Co-creative Municipality: its four elements, our offers "
        "and how your municipality can build participation as a core competence. With time for "
        "your questions."
    ),
    de.EVENTS[1].teaser: (
        "Every four weeks on Thursdays, administrative staff and politicians from different "
        "municipalities meet online to exchange models, methods and case studies of the "
        "Co-creative Municipality."
    ),
    "Online (Videokonferenz)": "Online (video conference)",
    de.EVENTS[1].overrides[0].note: ("Cancelled – winter break. See you again on 4 February."),
    # Forms
    de.FORMS[0].title: "Book a consultation",
    de.FORMS[0].intro[0]: (
        "Do you see this need for competence in your municipality too? Book a consultation!"
    ),
    de.FORMS[0].intro[1]: (
        "With our trainings and workshops we help you build this competence and the structures "
        "it needs. Tell us briefly what it is about, and we will get back to you to arrange a "
        "date."
    ),
    de.FORMS[0].consent_text: (
        "I agree that my details are stored and processed to answer my request."
    ),
    de.FORMS[0].submit_label: "Request a consultation",
    de.FORMS[0].thank_you: (
        "Thank you for your request! We will get back to you in the next few days to arrange a "
        "date for the consultation."
    ),
    de.FORMS[0].confirmation_subject: "Your request to the Co-creative Municipality",
    de.FORMS[0].confirmation_text: (
        "Thank you for your request! We will get back to you in the next few days.\n\n"
        "The team of the Co-creative Municipality"
    ),
    de.FORMS[1].title: "Sign up for the Community of Practice",
    de.FORMS[1].intro[0]: (
        "Are you looking for exchange with other administrative staff and politicians who work "
        "for municipalities, cities and regions fit for the future and want to shape them "
        "co-creatively? Then join our Community of Practice!"
    ),
    de.FORMS[1].intro[1]: (
        "We meet online every four weeks on Thursdays from 4:30 to 6 pm. Sign up and we will "
        "send you the invitation to the next meeting."
    ),
    de.FORMS[1].consent_text: (
        "I agree that my details are stored and processed to invite me to the meetings of the "
        "Community of Practice."
    ),
    de.FORMS[1].submit_label: "Sign up",
    de.FORMS[1].thank_you: (
        "Thank you for signing up! We will send you the invitation to the next meeting of the "
        "Community of Practice."
    ),
    de.FORMS[1].confirmation_subject: "Your sign-up for the Community of Practice",
    de.FORMS[1].confirmation_text: (
        "Thank you for signing up! The invitation to the next meeting comes by e-mail.\n\n"
        "The team of the Co-creative Municipality"
    ),
    # Form fields (used where the form's fields are translated)
    "Kommune / Organisation": "Municipality / organisation",
    "Funktion": "Role",
    "Zum Beispiel Verwaltung, Politik oder Zivilgesellschaft.": (
        "For example administration, politics or civil society."
    ),
    "E-Mail": "Email",
    "Telefon": "Phone",
    "Thema": "Topic",
    "Etwas anderes": "Something else",
    "Eure Nachricht": "Your message",
    "Wunschtermin": "Preferred date",
    "Zum Beispiel „dienstags vormittags“ oder ein Datum.": (
        "For example “Tuesday mornings” or a date."
    ),
    "Ich bin …": "I am …",
    "Verwaltungsmitarbeitende:r": "working in administration",
    "Politiker:in": "a politician",
    "in der Zivilgesellschaft aktiv": "active in civil society",
    "Welche Elemente interessieren Euch besonders?": "Which elements interest you most?",
    "Möchtet Ihr uns noch etwas mitteilen?": "Is there anything else you would like to tell us?",
}

# English slugs of the demo's pages (snippets keep theirs: they are filter values in URLs).
PAGE_SLUGS: dict[str, str] = {
    de.HOME["slug"]: "home",
    de.PROGRAMME_SLUG: "co-creative-municipality",
    "kultureller-wandel": "cultural-change",
    "raumstrukturen": "spatial-structures",
    "prozessstrukturen": "process-structures",
    "governancestrukturen": "governance-structures",
    de.OFFER_INDEX_SLUG: "offers",
    "trainings-und-workshops": "trainings-and-workshops",
    "inhouse-und-keynotes": "in-house-and-keynotes",
    de.EVENT_INDEX_SLUG: "events",
    "infosalon-september-2022": "info-salon-september-2022",
    "beratungsgespraech": "consultation",
    "community-of-practice-anmeldung": "community-of-practice-sign-up",
}
