// The reference front end of kokreative-wagtail: a single page app that builds the programme
// from the page API (/api/v2/) and our API (/api/kokreative/v1/) alone, never from the site's
// HTML. Plain ES modules, no build step. See README.md and docs/frontend.md.

// --- Configuration ----------------------------------------------------------------------------
// The site's base URL: `?api=http://127.0.0.1:8000` on the page's URL, else API_BASE below.
const API_BASE = "http://127.0.0.1:8000";
// The front end's languages; the first is the default. Content comes in the languages the site
// has; the language switcher of a page links its translations (`alternates` of the page API).
const LANGUAGES = ["de", "en"];
// The page type of the programme page (a site with its own subclass names its type here).
const PROGRAMME_TYPE = "kokreative_wagtail.ProgrammePage";
// How far ahead "Next dates" looks, in days (our API allows up to 732).
const DATES_WINDOW_DAYS = 365;
// Where the consent token of a cross-site front end is kept (see docs/consent.md).
const CONSENT_TOKEN_KEY = "kokreative-consent-token";

const params = new URLSearchParams(window.location.search);
const apiBase = (params.get("api") || API_BASE).replace(/\/+$/, "");
const PAGES = `${apiBase}/api/v2/pages/`;
const OURS = `${apiBase}/api/kokreative/v1`;

// --- Texts of the front end itself --------------------------------------------------------------
const TEXTS = {
  de: {
    siteName: "Kokreative Kommune",
    skip: "Zum Inhalt springen",
    mainNav: "Hauptnavigation",
    languageNav: "Sprache",
    loading: "Wird geladen …",
    programme: "Programm",
    offers: "Angebote",
    dates: "Termine",
    consultation: "Beratung",
    consentSettings: "Cookie-Einstellungen",
    requests: "API-Anfragen",
    languageNames: { de: "Deutsch", en: "English" },
    notTranslated: "(keine Übersetzung, zur Startseite)",
    noContent: "Diese Inhalte gibt es in dieser Sprache nicht.",
    apiUnreachable: "Die API ist nicht erreichbar (Netzwerk oder CORS).",
    notFound: "Nicht gefunden.",
    elementsHeading: "Die Elemente",
    elementOffers: "Angebote zu diesem Element",
    siblingElements: "Weitere Elemente",
    noOffers: "Keine Angebote gefunden.",
    search: "Suche",
    kind: "Art",
    audience: "Zielgruppe",
    format: "Format",
    element: "Element",
    all: "Alle",
    filter: "Filtern",
    reset: "Zurücksetzen",
    filters: "Filter",
    offersFound: (n) => (n === 1 ? "1 Angebot" : `${n} Angebote`),
    nextDates: "Nächste Termine",
    noDates: "Keine Termine in den nächsten Monaten.",
    cancelled: "Fällt aus",
    moved: "Verlegt, ursprünglich",
    allDay: "ganztägig",
    required: "Pflichtfeld",
    chooseOne: "Bitte wählen",
    errorSummary: "Bitte prüft die markierten Felder.",
    privacyPolicy: "Datenschutzerklärung",
    sending: "Wird gesendet …",
    consentHeading: "Cookie-Einstellungen",
    consentIntro: "Entscheidet, welche Cookies diese Website setzen darf.",
    acceptAll: "Alle akzeptieren",
    declineAll: "Alle ablehnen",
    save: "Auswahl speichern",
    consentSaved: "Eure Auswahl ist gespeichert.",
    consentRequired: "immer aktiv",
    consentAccepted: "akzeptiert",
    consentDeclined: "abgelehnt",
    consentOpen: "nicht entschieden",
    banner: "Diese Website nutzt Cookies. Notwendige Cookies sind immer aktiv; alle anderen nur mit eurer Einwilligung.",
    cookies: "Cookies",
    duration: "Dauer",
    groupSize: "Gruppengröße",
    cost: "Kosten",
    contact: "Kontakt",
    location: "Ort",
    toOffer: "Zum Angebot",
    externalContent: "Externer Inhalt von",
  },
  en: {
    siteName: "Co-creative Municipality",
    skip: "Skip to content",
    mainNav: "Main navigation",
    languageNav: "Language",
    loading: "Loading …",
    programme: "Programme",
    offers: "Offers",
    dates: "Dates",
    consultation: "Consultation",
    consentSettings: "Cookie settings",
    requests: "API requests",
    languageNames: { de: "Deutsch", en: "English" },
    notTranslated: "(not translated, to the home page)",
    noContent: "This content is not available in this language.",
    apiUnreachable: "The API cannot be reached (network or CORS).",
    notFound: "Not found.",
    elementsHeading: "The elements",
    elementOffers: "Offers for this element",
    siblingElements: "Other elements",
    noOffers: "No offers found.",
    search: "Search",
    kind: "Kind",
    audience: "Audience",
    format: "Format",
    element: "Element",
    all: "All",
    filter: "Filter",
    reset: "Reset",
    filters: "Filters",
    offersFound: (n) => (n === 1 ? "1 offer" : `${n} offers`),
    nextDates: "Next dates",
    noDates: "No dates in the coming months.",
    cancelled: "Cancelled",
    moved: "Moved, originally",
    allDay: "all day",
    required: "required",
    chooseOne: "Please choose",
    errorSummary: "Please check the marked fields.",
    privacyPolicy: "privacy policy",
    sending: "Sending …",
    consentHeading: "Cookie settings",
    consentIntro: "Decide which cookies this website may set.",
    acceptAll: "Accept all",
    declineAll: "Reject all",
    save: "Save my choice",
    consentSaved: "Your choice has been saved.",
    consentRequired: "always on",
    consentAccepted: "accepted",
    consentDeclined: "declined",
    consentOpen: "not decided",
    banner: "This website uses cookies. Necessary cookies are always on; all others only with your consent.",
    cookies: "Cookies",
    duration: "Duration",
    groupSize: "Group size",
    cost: "Cost",
    contact: "Contact",
    location: "Location",
    toOffer: "To the offer",
    externalContent: "External content from",
  },
};

const state = {
  lang: LANGUAGES[0],
  // the page data of the current view, for the language switcher (null: not a page)
  page: null,
  // the consultation form page of the programme in each language (from its call to action)
  formPageId: {},
  programmeId: {},
  // the visitor's consent status (GET consent/status), for the banner
  consent: null,
};

const t = (key) => TEXTS[state.lang][key] ?? TEXTS[LANGUAGES[0]][key] ?? key;

// --- Requests: one wrapper counts them all ------------------------------------------------------
const requestLog = [];
const cache = new Map();

function countRequest(method, url) {
  requestLog.push(`${method} ${url}`);
  document.documentElement.dataset.requestCount = String(requestLog.length);
  const output = document.getElementById("request-count");
  if (output) output.value = String(requestLog.length);
}

/**
 * fetch() for the APIs: JSON in and out, the language as `Accept-Language`, counted.
 * Public GETs are kept in memory, so a view visited again costs nothing.
 * Answers `{ok, status, data, headers}`; a network or CORS failure is status 0.
 */
async function api(url, { method = "GET", body, headers = {}, credentials = "omit", reuse = true } = {}) {
  const key = `${state.lang} ${url}`;
  if (method === "GET" && reuse && cache.has(key)) return cache.get(key);
  countRequest(method, url);
  const init = {
    method,
    mode: "cors",
    credentials,
    headers: { Accept: "application/json", "Accept-Language": state.lang, ...headers },
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    return { ok: false, status: 0, data: { detail: t("apiUnreachable") }, headers: new Headers() };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const result = { ok: response.ok, status: response.status, data, headers: response.headers };
  if (method === "GET" && reuse && response.ok) cache.set(key, result);
  return result;
}

function query(values) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") search.append(name, item);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// --- Small DOM helpers --------------------------------------------------------------------------
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "html") node.innerHTML = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Where a link of the content leads in this front end: a page of the site becomes a route
 * that resolves its path through the page API (`pages/find/`); files stay on the site. */
function siteHref(url) {
  if (!url) return null;
  let path = url;
  if (path.startsWith(apiBase)) path = path.slice(apiBase.length) || "/";
  if (!path.startsWith("/") || path.startsWith("//")) return url;
  if (/^\/(media|documents|static|api)\//.test(path)) return apiBase + path;
  const clean = path.split(/[?#]/)[0];
  return `#/${state.lang}/path${clean}`;
}

/** Rich text of the API: links to the site's pages stay in the front end, files on the site. */
function richText(html, attributes = {}) {
  const node = h("div", { class: "rich-text", ...attributes, html: html || "" });
  for (const link of node.querySelectorAll("a[href^='/']:not([href^='//'])")) {
    link.setAttribute("href", siteHref(link.getAttribute("href")));
  }
  for (const image of node.querySelectorAll("img[src^='/']:not([src^='//'])")) {
    image.src = apiBase + image.getAttribute("src");
  }
  return node;
}

function route(...parts) {
  return `#/${[state.lang, ...parts].join("/")}`;
}

function pageLink(id) {
  return route("page", id);
}

function notice(text, role = "status") {
  return h("p", { class: "notice", role }, text);
}

/** A site without content in the language answers 404 (Wagtail) or 400 naming `locale`. */
function noContentInLanguage(result) {
  return result.status === 404 || (result.status === 400 && Boolean(result.data?.errors?.locale));
}

function apiError(result) {
  const detail = result.data?.detail || result.data?.message || `HTTP ${result.status}`;
  return h("p", { class: "notice error", role: "alert", "data-status": result.status }, detail);
}

// --- Shapes (the contract; older shapes tolerated where cheap) --------------------------------
function alternatesOf(page) {
  return page?.meta?.alternates ?? page?.alternates ?? [];
}

function imageOf(value) {
  // {id, url, full_url, width, height, alt, srcset, renditions} (older: no alt/srcset)
  if (!value || typeof value !== "object") return null;
  const src = value.full_url || (value.url ? apiBase + value.url : null);
  return src ? { ...value, src } : null;
}

function choiceOf(choice) {
  return typeof choice === "object" && choice !== null
    ? { value: String(choice.value), label: String(choice.label ?? choice.value) }
    : { value: String(choice), label: String(choice) };
}

/** A date-time of the API (RFC 3339, UTC) in the event's own zone; with `end`, as a range. */
function formatDate(iso, timeZone, { allDay = false, end = null } = {}) {
  if (!iso) return "";
  const options = allDay
    ? { dateStyle: "full", timeZone }
    : { dateStyle: "full", timeStyle: "short", timeZone };
  try {
    const format = new Intl.DateTimeFormat(state.lang, options);
    return end ? format.formatRange(new Date(iso), new Date(end)) : format.format(new Date(iso));
  } catch {
    return iso;
  }
}

// --- Shared pieces ------------------------------------------------------------------------------
function elementBadge(element) {
  if (!element) return null;
  return h("span", { class: "element-badge", style: `--element-colour: ${element.colour || "#555"}` }, element.name);
}

function imageFigure(image, { alt = null, caption = "", decorative = false } = {}) {
  const data = imageOf(image);
  if (!data) return null;
  const img = h("img", {
    src: data.src,
    srcset: data.srcset || null,
    sizes: data.srcset ? "(min-width: 60rem) 60rem, 100vw" : null,
    width: data.width,
    height: data.height,
    alt: decorative ? "" : (alt ?? data.alt ?? ""),
    loading: "lazy",
  });
  return h("figure", { class: "image" }, img, caption ? h("figcaption", {}, caption) : null);
}

function offerCard(offer, headingLevel = "h3") {
  return h(
    "article",
    { class: "offer", "data-offer-id": offer.id, "data-kind": offer.kind },
    h(headingLevel, {}, h("a", { href: pageLink(offer.id) }, offer.title)),
    h(
      "p",
      { class: "offer-meta" },
      h("span", { class: "offer-kind" }, offer.kind_label || offer.kind),
      " · ",
      h("span", { class: "offer-format" }, offer.format_label || offer.format),
      offer.audiences?.length ? ` · ${offer.audiences.map((a) => a.name).join(", ")}` : "",
    ),
    imageFigure(offer.teaser_image, { decorative: true }),
    offer.teaser ? h("p", {}, offer.teaser) : null,
    offer.elements?.length ? h("p", { class: "offer-elements" }, offer.elements.map(elementBadge)) : null,
  );
}

function offerList(offers, label) {
  if (!offers?.length) return notice(t("noOffers"));
  return h("div", { class: "offer-list", "aria-label": label || null, role: label ? "group" : null }, offers.map((o) => offerCard(o)));
}

function occurrenceItem(occurrence) {
  const when = formatDate(occurrence.start, occurrence.time_zone, { allDay: occurrence.all_day, end: occurrence.end });
  const title = h("a", { href: pageLink(occurrence.event.id) }, occurrence.event.title);
  const whenNode = occurrence.cancelled
    ? h("del", {}, h("time", { datetime: occurrence.start }, when))
    : h("time", { datetime: occurrence.start }, when);
  return h(
    "li",
    {
      class: `occurrence${occurrence.cancelled ? " cancelled" : ""}${occurrence.moved ? " moved" : ""}`,
      "data-cancelled": String(Boolean(occurrence.cancelled)),
      "data-moved": String(Boolean(occurrence.moved)),
    },
    h("p", { class: "occurrence-when" }, whenNode),
    occurrence.cancelled ? h("p", { class: "occurrence-state" }, h("strong", {}, t("cancelled"))) : null,
    occurrence.moved && occurrence.original_start
      ? h("p", { class: "occurrence-state" }, `${t("moved")} `, h("time", { datetime: occurrence.original_start }, formatDate(occurrence.original_start, occurrence.time_zone)))
      : null,
    h("p", { class: "occurrence-title" }, title),
    occurrence.note ? h("p", { class: "occurrence-note" }, occurrence.note) : null,
    occurrence.location_name ? h("p", { class: "occurrence-location" }, occurrence.location_name) : null,
  );
}

function occurrenceList(items) {
  if (!items?.length) return notice(t("noDates"));
  return h("ol", { class: "occurrences" }, items.map(occurrenceItem));
}

/** StreamField blocks of the page API (unknown types are left out). */
function renderBlocks(blocks) {
  const nodes = [];
  for (const block of blocks || []) {
    const value = block.value;
    switch (block.type) {
      case "heading": {
        const level = /^h[2-4]$/.test(value?.level) ? value.level : "h2";
        nodes.push(h(level, { id: value.anchor || null }, value.text));
        break;
      }
      case "rich_text":
      case "paragraph":
        nodes.push(richText(typeof value === "string" ? value : value?.html));
        break;
      case "image":
        nodes.push(imageFigure(value?.image, { alt: value?.alt || null, caption: value?.caption, decorative: value?.decorative }));
        break;
      case "quote":
        nodes.push(h("blockquote", {}, h("p", {}, value?.quote ?? value?.text ?? ""), value?.attribution ? h("footer", {}, value.attribution) : null));
        break;
      case "accordion":
        nodes.push(
          h(
            "section",
            { class: "accordion" },
            value?.heading ? h("h2", {}, value.heading) : null,
            (value?.items || []).map((item) => h("details", {}, h("summary", {}, item.title), richText(item.content))),
          ),
        );
        break;
      case "contact_person":
        nodes.push(
          h(
            "section",
            { class: "contact", "aria-label": t("contact") },
            imageFigure(value?.image, { decorative: true }),
            h("p", {}, h("strong", {}, value?.name), value?.role ? `, ${value.role}` : "", value?.organisation ? `, ${value.organisation}` : ""),
            value?.email ? h("p", {}, h("a", { href: `mailto:${value.email}` }, value.email)) : null,
            value?.phone ? h("p", {}, value.phone) : null,
          ),
        );
        break;
      case "documents":
        nodes.push(
          h(
            "section",
            { class: "documents" },
            value?.heading ? h("h2", {}, value.heading) : null,
            h("ul", {}, (value?.documents || []).map((d) => h("li", {}, h("a", { href: siteHref(d.url) }, d.title), d.file_extension ? ` (${d.file_extension.toUpperCase()})` : ""))),
          ),
        );
        break;
      case "consent_embed":
        // the provider's content is never loaded here: a link, and the provider named
        nodes.push(
          h(
            "figure",
            { class: "embed", "data-consent-group": value?.group },
            h("p", {}, `${t("externalContent")} ${value?.provider || ""}: `, h("a", { href: value?.url }, value?.title || value?.url)),
            value?.caption ? h("figcaption", {}, value.caption) : null,
          ),
        );
        break;
      case "call_to_action": {
        const href = value?.page ? pageLink(value.page) : siteHref(value?.url);
        nodes.push(
          h(
            "section",
            { class: "call-to-action", "aria-label": value?.heading || null },
            value?.heading ? h("h2", {}, value.heading) : null,
            value?.text ? richText(value.text) : null,
            href ? h("p", {}, h("a", { class: "button", href, "data-cta-page": value?.page ?? null }, value?.link_label || value?.heading)) : null,
          ),
        );
        break;
      }
      case "offer_list":
        nodes.push(h("section", { class: "block-offers" }, value?.heading ? h("h2", {}, value.heading) : null, offerList(value?.offers)));
        break;
      case "upcoming_events":
        nodes.push(h("section", { class: "block-dates" }, value?.heading ? h("h2", {}, value.heading) : null, occurrenceList(value?.occurrences ?? value?.items)));
        break;
      default:
        break;
    }
  }
  return nodes.filter(Boolean);
}

// --- Views --------------------------------------------------------------------------------------
const main = () => document.getElementById("main");

function show(title, ...content) {
  const heading = h("h1", { id: "page-title", tabindex: "-1" }, title);
  main().replaceChildren(heading, ...content.flat().filter(Boolean));
  document.title = `${title} – ${t("siteName")}`;
  return heading;
}

async function programmeView() {
  // known already (from this language's programme or a language switch to it): by its id
  if (state.programmeId[state.lang]) return pageView(state.programmeId[state.lang]);
  const result = await api(`${PAGES}${query({ type: PROGRAMME_TYPE, locale: state.lang, fields: "*", limit: 1 })}`);
  if (!result.ok) {
    state.page = null;
    return show(t("programme"), noContentInLanguage(result) ? notice(t("noContent")) : apiError(result));
  }
  const page = result.data.items?.[0];
  if (!page) {
    state.page = null;
    return show(t("programme"), notice(t("noContent")));
  }
  state.programmeId[state.lang] = page.id;
  cache.set(`${state.lang} ${PAGES}${page.id}/`, { ok: true, status: 200, data: page, headers: new Headers() });
  return renderPage(page);
}

/** A page by its path on the site (`/en/...` for another language): Wagtail's find endpoint
 * redirects to the page's detail, which fetch follows (one request in the count). */
async function pathView(path) {
  const result = await api(`${PAGES}find/${query({ html_path: path })}`);
  if (!result.ok) {
    state.page = null;
    return show(t("notFound"), apiError(result));
  }
  cache.set(`${state.lang} ${PAGES}${result.data.id}/`, result);
  return renderPage(result.data);
}

async function pageView(id) {
  const result = await api(`${PAGES}${id}/`);
  if (!result.ok) {
    state.page = null;
    return show(t("notFound"), apiError(result));
  }
  return renderPage(result.data);
}

function pageKind(page) {
  const type = page.meta?.type || "";
  if (type === PROGRAMME_TYPE || "element_pages" in page) return "programme";
  if (type.endsWith(".ElementPage") || ("element" in page && "sibling_elements" in page)) return "element";
  if (type.endsWith(".ConsultationFormPage") || "form_fields" in page) return "form";
  if ("kind" in page && "format" in page) return "offer";
  if ("upcoming_occurrences" in page) return "event";
  return "page";
}

async function renderPage(page) {
  state.page = page;
  // content in another language than the front end's (a page without translation) says so
  const locale = page.meta?.locale;
  if (locale && locale !== state.lang) main().setAttribute("lang", locale);
  const kind = pageKind(page);
  if (kind === "programme") return renderProgramme(page);
  if (kind === "element") return renderElement(page);
  if (kind === "form") return renderFormPage(page);
  if (kind === "offer") return renderOffer(page);
  if (kind === "event") return renderEvent(page);
  return show(
    page.title,
    page.teaser ? h("p", { class: "lead" }, page.teaser) : null,
    page.intro ? richText(page.intro) : null,
    imageFigure(page.teaser_image, { decorative: true }),
    renderBlocks(page.body),
    "per_page" in page ? h("p", {}, h("a", { href: route("offers") }, t("offers"))) : null,
  );
}

function facts(pairs) {
  const rows = pairs.filter(([, value]) => value);
  if (!rows.length) return null;
  return h("dl", { class: "facts" }, rows.map(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

function renderOffer(page) {
  const contact = [page.contact_name, page.contact_role].filter(Boolean).join(", ");
  return show(
    page.title,
    h("p", { class: "offer-meta" }, h("span", { class: "offer-kind" }, page.kind_label || page.kind), " · ", h("span", { class: "offer-format" }, page.format_label || page.format)),
    page.teaser ? h("p", { class: "lead" }, page.teaser) : null,
    imageFigure(page.teaser_image, { decorative: true }),
    facts([
      [t("audience"), (page.audiences || []).map((a) => a.name).join(", ")],
      [t("element"), (page.elements || []).map((e) => e.name).join(", ")],
      [t("duration"), page.duration],
      [t("groupSize"), page.group_size],
      [t("cost"), page.cost],
    ]),
    renderBlocks(page.body),
    contact || page.contact_email
      ? h(
          "section",
          { class: "contact", "aria-labelledby": "contact-heading" },
          h("h2", { id: "contact-heading" }, t("contact")),
          contact ? h("p", {}, contact) : null,
          page.contact_email ? h("p", {}, h("a", { href: `mailto:${page.contact_email}` }, page.contact_email)) : null,
          page.contact_phone ? h("p", {}, page.contact_phone) : null,
        )
      : null,
    page.consultation_url
      ? h("p", {}, h("a", { class: "button consultation-link", href: siteHref(page.consultation_url) }, page.consultation_link_label || t("consultation")))
      : null,
  );
}

function renderEvent(page) {
  return show(
    page.title,
    page.teaser ? h("p", { class: "lead" }, page.teaser) : null,
    imageFigure(page.teaser_image, { decorative: true }),
    facts([[t("location"), [page.location_name, page.location_address].filter(Boolean).join(", ")]]),
    h("section", { class: "event-dates", "aria-labelledby": "event-dates-heading" }, h("h2", { id: "event-dates-heading" }, t("nextDates")), occurrenceList(page.upcoming_occurrences)),
    renderBlocks(page.body),
    page.offer_id ? h("p", {}, h("a", { href: pageLink(page.offer_id) }, t("toOffer"))) : null,
  );
}

function renderProgramme(page) {
  state.programmeId[state.lang] = page.id;
  const cta = (page.body || []).find((b) => b.type === "call_to_action" && b.value?.page);
  if (cta) state.formPageId[state.lang] = cta.value.page;
  renderNavigation();
  const teasers = page.element_pages || [];
  return show(
    page.title,
    page.audience_question ? h("p", { class: "lead" }, page.audience_question) : null,
    page.intro ? richText(page.intro, { class: "rich-text intro" }) : null,
    imageFigure(page.teaser_image, { decorative: true }),
    h(
      "section",
      { class: "elements", "aria-labelledby": "elements-heading" },
      h("h2", { id: "elements-heading" }, page.elements_heading || t("elementsHeading")),
      page.elements_intro ? h("p", {}, page.elements_intro) : null,
      h(
        "ul",
        { class: "element-teasers" },
        teasers.map((teaser) =>
          h(
            "li",
            { class: "element-teaser", style: `--element-colour: ${teaser.element?.colour || "#555"}`, "data-page-id": teaser.id },
            h("h3", {}, h("a", { href: pageLink(teaser.id) }, teaser.title)),
            teaser.element?.summary ? h("p", {}, teaser.element.summary) : null,
          ),
        ),
      ),
    ),
    renderBlocks(page.body),
  );
}

function renderElement(page) {
  const element = page.element || {};
  const siblings = page.sibling_elements || [];
  const parentId = page.meta?.parent?.id;
  return show(
    page.title,
    h("p", { class: "lead" }, elementBadge(element), " ", element.summary || ""),
    element.description ? richText(element.description, { class: "rich-text element-description" }) : null,
    page.intro ? richText(page.intro, { class: "rich-text intro" }) : null,
    renderBlocks(page.body),
    h(
      "section",
      { class: "element-offers", "aria-labelledby": "element-offers-heading" },
      h("h2", { id: "element-offers-heading" }, t("elementOffers")),
      offerList(page.offers),
    ),
    h(
      "nav",
      { class: "sibling-elements", "aria-labelledby": "sibling-heading" },
      h("h2", { id: "sibling-heading" }, t("siblingElements")),
      h(
        "ul",
        {},
        siblings.map((sibling) =>
          h("li", { "data-page-id": sibling.id }, h("a", { href: pageLink(sibling.id) }, elementBadge(sibling.element) || sibling.title)),
        ),
      ),
      parentId ? h("p", {}, h("a", { href: pageLink(parentId) }, page.meta.parent.title)) : null,
    ),
  );
}

// --- Offer catalogue with filters ---------------------------------------------------------------
const FILTERS = ["q", "kind", "audience", "format", "element"];

function facets(offers) {
  const found = { kind: new Map(), audience: new Map(), format: new Map(), element: new Map() };
  for (const offer of offers) {
    found.kind.set(offer.kind, offer.kind_label || offer.kind);
    found.format.set(offer.format, offer.format_label || offer.format);
    for (const audience of offer.audiences || []) found.audience.set(audience.slug, audience.name);
    for (const element of offer.elements || []) found.element.set(element.slug, element.name);
  }
  return found;
}

async function offersView(search) {
  state.page = null;
  const all = await api(`${OURS}/offers${query({ locale: state.lang, limit: 100 })}`);
  if (!all.ok) return show(t("offers"), apiError(all));
  const options = facets(all.data.items);
  const form = h("form", { class: "filters", role: "search", "aria-label": t("filters") });
  const searchInput = h("input", { type: "search", id: "filter-q", name: "q", value: search.get("q") || "" });
  form.append(h("p", {}, h("label", { for: "filter-q" }, t("search")), searchInput));
  for (const name of ["kind", "audience", "format", "element"]) {
    const select = h(
      "select",
      { id: `filter-${name}`, name },
      h("option", { value: "" }, t("all")),
      [...options[name]].map(([value, label]) => h("option", { value, selected: search.get(name) === value }, label)),
    );
    select.addEventListener("change", () => form.requestSubmit());
    form.append(h("p", {}, h("label", { for: `filter-${name}` }, t(name)), select));
  }
  form.append(
    h("p", { class: "buttons" }, h("button", { type: "submit" }, t("filter")), " ", h("a", { href: route("offers") }, t("reset"))),
  );
  const results = h("div", { id: "offer-results", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = {};
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) values[name] = value;
    }
    // the filters are part of the address (shareable); the list changes, focus stays put
    history.replaceState(null, "", `${route("offers")}${query(values)}`);
    renderLanguageSwitcher("offers", []);
    renderOfferResults(results, new URLSearchParams(values));
  });
  show(t("offers"), form, results);
  await renderOfferResults(results, search);
}

async function renderOfferResults(container, search) {
  const values = { locale: state.lang, limit: 100 };
  for (const name of FILTERS) if (search.get(name)) values[name] = search.get(name);
  const result = await api(`${OURS}/offers${query(values)}`);
  if (!result.ok) return container.replaceChildren(apiError(result));
  container.replaceChildren(
    h("p", { class: "result-count", "data-count": result.data.count }, t("offersFound")(result.data.count)),
    offerList(result.data.items),
  );
}

// --- Next dates ---------------------------------------------------------------------------------
async function datesView() {
  state.page = null;
  const today = new Date();
  const from = today.toISOString().slice(0, 10);
  const to = new Date(today.getTime() + DATES_WINDOW_DAYS * 86400000).toISOString().slice(0, 10);
  const result = await api(`${OURS}/occurrences${query({ from, to, locale: state.lang, limit: 50 })}`);
  if (!result.ok) return show(t("nextDates"), apiError(result));
  return show(t("nextDates"), h("section", { class: "dates", "aria-label": t("nextDates") }, occurrenceList(result.data.items)));
}

// --- The consultation form ----------------------------------------------------------------------
async function renderFormPage(page) {
  const heading = show(page.title, page.intro ? richText(page.intro, { class: "rich-text intro" }) : null, h("p", { class: "loading" }, t("loading")));
  // never reused: every GET brings a fresh signed token
  const result = await api(`${OURS}/forms/${page.id}`, { reuse: false });
  main().querySelector(".loading")?.remove();
  if (!result.ok) {
    main().append(apiError(result));
    return heading;
  }
  main().append(buildForm(result.data));
  return heading;
}

function fieldControl(field, id, describedBy) {
  const common = { id, name: field.name, "aria-describedby": describedBy || null, "aria-required": field.required ? "true" : null };
  const choices = (field.choices || []).map(choiceOf);
  const defaults = [].concat(field.default ?? []).map(String);
  switch (field.type) {
    case "multiline":
      return h("textarea", { ...common, rows: 6, maxlength: field.max_length }, field.default ?? "");
    case "checkbox":
      return h("input", { ...common, type: "checkbox", checked: field.default === true || field.default === "on" });
    case "dropdown":
    case "multiselect":
      return h(
        "select",
        { ...common, multiple: field.type === "multiselect" },
        field.type === "dropdown" ? h("option", { value: "" }, t("chooseOne")) : null,
        choices.map((c) => h("option", { value: c.value, selected: defaults.includes(c.value) }, c.label)),
      );
    case "checkboxes":
    case "radio":
      return h(
        "div",
        { class: "choices", id, role: field.type === "radio" ? "radiogroup" : "group", "aria-labelledby": `${id}-legend`, "aria-describedby": describedBy || null },
        choices.map((c, index) =>
          h(
            "p",
            {},
            h("input", { type: field.type === "radio" ? "radio" : "checkbox", id: `${id}-${index}`, name: field.name, value: c.value, checked: defaults.includes(c.value) }),
            " ",
            h("label", { for: `${id}-${index}` }, c.label),
          ),
        ),
      );
    default: {
      const types = { email: "email", number: "number", url: "url", date: "date", datetime: "datetime-local", hidden: "hidden" };
      return h("input", { ...common, type: types[field.type] || "text", value: field.default ?? "", maxlength: field.max_length });
    }
  }
}

function fieldValue(form, field) {
  const controls = [...form.querySelectorAll(`[name="${CSS.escape(field.name)}"]`)];
  switch (field.type) {
    case "checkbox":
      return controls[0]?.checked ?? false;
    case "checkboxes":
      return controls.filter((c) => c.checked).map((c) => c.value);
    case "radio":
      return controls.find((c) => c.checked)?.value ?? "";
    case "multiselect":
      return [...(controls[0]?.selectedOptions || [])].map((o) => o.value);
    case "number":
      return controls[0]?.value === "" ? null : Number(controls[0].value);
    default:
      return controls[0]?.value ?? "";
  }
}

function buildForm(schema) {
  const form = h("form", { class: "consultation-form", novalidate: true, "data-form-id": schema.id, lang: schema.locale || null });
  const summary = h("div", { class: "error-summary", id: "form-errors", tabindex: "-1", hidden: true });
  form.append(summary);
  const fields = [...schema.fields];
  if (schema.consent) fields.push({ name: schema.consent.name, type: "checkbox", label: schema.consent.text, required: schema.consent.required, help_text: "", consent: schema.consent });
  for (const field of fields) {
    const id = `field-${field.name}`;
    const helpId = field.help_text ? `${id}-help` : null;
    const errorId = `${id}-error`;
    const describedBy = [helpId, errorId].filter(Boolean).join(" ");
    const control = fieldControl(field, id, describedBy);
    const isGroup = field.type === "checkboxes" || field.type === "radio";
    const label = isGroup
      ? h("p", { class: "label", id: `${id}-legend` }, field.label, field.required ? h("span", { class: "required" }, ` (${t("required")})`) : null)
      : h("label", { for: id }, field.label, field.required ? h("span", { class: "required" }, ` (${t("required")})`) : null);
    const privacy = field.consent?.privacy_url
      ? h("a", { href: siteHref(field.consent.privacy_url) }, t("privacyPolicy"))
      : null;
    const wrapper = h(
      "div",
      { class: `field field-${field.type}`, "data-field": field.name, hidden: field.type === "hidden" },
      field.type === "checkbox" ? [control, " ", label] : [label, control],
      privacy ? h("p", { class: "help" }, privacy) : null,
      helpId ? h("p", { class: "help", id: helpId }, field.help_text) : null,
      h("p", { class: "field-error", id: errorId, hidden: true }),
    );
    form.append(wrapper);
  }
  // the spam trap: out of sight and out of the accessibility tree, must stay empty
  form.append(h("div", { class: "trap", "aria-hidden": "true" }, h("label", { for: "field-trap" }, "Leave empty"), h("input", { id: "field-trap", name: "kk-trap", tabindex: "-1", autocomplete: "off" })));
  const button = h("button", { type: "submit" }, schema.submit_label || t("save"));
  const status = h("p", { class: "form-status", role: "status" });
  form.append(h("p", {}, button), status);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = {};
    for (const field of fields) values[field.name] = fieldValue(form, field);
    button.disabled = true;
    status.textContent = t("sending");
    const result = await api(`${OURS}/forms/${schema.id}/submissions`, {
      method: "POST",
      body: { fields: values, token: schema.token, honeypot: form.elements["kk-trap"].value },
    });
    button.disabled = false;
    status.textContent = "";
    if (result.ok) {
      const thanks = h(
        "section",
        { class: "thank-you", tabindex: "-1", "aria-labelledby": "thank-you-heading" },
        h("h2", { id: "thank-you-heading" }, result.data.detail),
        richText(result.data.thank_you_text),
      );
      form.replaceWith(thanks);
      thanks.focus();
      return;
    }
    showFormErrors(form, summary, fields, result);
  });
  return form;
}

function showFormErrors(form, summary, fields, result) {
  const errors = result.data?.errors || {};
  const known = new Set(fields.map((f) => f.name));
  const items = [];
  for (const field of fields) {
    const wrapper = form.querySelector(`[data-field="${CSS.escape(field.name)}"]`);
    const message = wrapper.querySelector(".field-error");
    const control = wrapper.querySelector(`#field-${CSS.escape(field.name)}`);
    const messages = errors[field.name];
    if (messages?.length) {
      message.textContent = messages.join(" ");
      message.hidden = false;
      control.setAttribute("aria-invalid", "true");
      items.push(h("li", {}, h("a", { href: `#field-${field.name}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, `${field.label}: ${messages.join(" ")}`)));
    } else {
      message.textContent = "";
      message.hidden = true;
      control.removeAttribute("aria-invalid");
    }
  }
  for (const [name, messages] of Object.entries(errors)) {
    if (!known.has(name)) items.push(h("li", {}, messages.join(" ")));
  }
  summary.replaceChildren(
    h("p", { role: "alert" }, result.data?.detail || t("errorSummary")),
    items.length ? h("ul", {}, items) : null,
  );
  summary.hidden = false;
  summary.focus();
}

// --- Consent ------------------------------------------------------------------------------------
// A front end on another site sends no cookies (ours would be third-party cookies there): the
// decision travels as the signed token POST consent answers, kept here and sent back as
// `X-Consent-Token`. Without cookies the site needs no CSRF token from an allowed origin.
function consentHeaders() {
  const token = window.localStorage.getItem(CONSENT_TOKEN_KEY);
  return token ? { "X-Consent-Token": token } : {};
}

async function consentStatus() {
  return api(`${OURS}/consent/status${query({ locale: state.lang })}`, { headers: consentHeaders(), reuse: false });
}

async function decide(action, groups) {
  const result = await api(`${OURS}/consent${query({ locale: state.lang })}`, {
    method: "POST",
    body: { action, groups },
    headers: consentHeaders(),
  });
  if (result.ok && result.data?.consent_token) window.localStorage.setItem(CONSENT_TOKEN_KEY, result.data.consent_token);
  return result;
}

async function consentView() {
  state.page = null;
  const [groups, status] = await Promise.all([api(`${OURS}/consent${query({ locale: state.lang })}`), consentStatus()]);
  if (!groups.ok) return show(t("consentHeading"), apiError(groups));
  if (!status.ok) return show(t("consentHeading"), apiError(status));
  let current = status.data;
  const message = h("p", { class: "consent-message", role: "status" });
  const form = h("form", { class: "consent-form" });
  const fieldset = h("fieldset", {}, h("legend", {}, t("consentHeading")));
  for (const group of groups.data.groups) {
    const id = `consent-${group.varname}`;
    const decided = current.groups?.[group.varname];
    fieldset.append(
      h(
        "div",
        { class: "consent-group", "data-group": group.varname },
        h("input", { type: "checkbox", id, name: "groups", value: group.varname, checked: group.is_required || decided === true, disabled: group.is_required, "aria-describedby": `${id}-description` }),
        " ",
        h("label", { for: id }, group.name),
        " ",
        h("span", { class: "consent-state", id: `${id}-state` }, consentStateText(group, decided)),
        h("p", { id: `${id}-description` }, group.description),
        group.cookies?.length
          ? h("details", {}, h("summary", {}, t("cookies")), h("ul", {}, group.cookies.map((c) => h("li", {}, h("code", {}, c.name), `: ${c.description}`))))
          : null,
      ),
    );
  }
  form.append(fieldset);
  const act = async (action) => {
    const chosen = {};
    for (const box of form.querySelectorAll("input[name=groups]:not([disabled])")) chosen[box.value] = box.checked;
    const result = await decide(action, action === "save" ? chosen : {});
    if (!result.ok) return message.replaceChildren(apiError(result));
    current = { ...current, ...result.data };
    for (const group of groups.data.groups) {
      const decided = current.groups?.[group.varname];
      const box = form.querySelector(`#consent-${group.varname}`);
      if (!group.is_required) box.checked = decided === true;
      form.querySelector(`#consent-${group.varname}-state`).textContent = consentStateText(group, decided);
    }
    message.textContent = t("consentSaved");
    state.consent = current;
    renderBanner();
  };
  form.append(
    h(
      "p",
      { class: "buttons" },
      h("button", { type: "button", value: "accept_all", onclick: () => act("accept_all") }, t("acceptAll")),
      " ",
      h("button", { type: "button", value: "decline_all", onclick: () => act("decline_all") }, t("declineAll")),
      " ",
      h("button", { type: "button", value: "save", onclick: () => act("save") }, t("save")),
    ),
  );
  return show(t("consentHeading"), h("p", {}, t("consentIntro")), form, message);
}

function consentStateText(group, decided) {
  if (group.is_required) return `(${t("consentRequired")})`;
  if (decided === true) return `(${t("consentAccepted")})`;
  if (decided === false) return `(${t("consentDeclined")})`;
  return `(${t("consentOpen")})`;
}

/** The banner: asks once (GET consent/status at start), decides with one POST. */
async function consentBanner() {
  const status = await consentStatus();
  state.consent = status.ok ? status.data : null;
  renderBanner();
}

function renderBanner() {
  const banner = document.getElementById("consent-banner");
  if (!state.consent?.needs_decision) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  const act = async (action) => {
    const result = await decide(action, {});
    if (!result.ok) return banner.append(apiError(result));
    state.consent = { ...state.consent, ...result.data };
    renderBanner();
  };
  banner.replaceChildren(
    h(
      "section",
      { class: "consent-banner", "aria-label": t("consentHeading") },
      h("p", {}, t("banner")),
      h(
        "p",
        { class: "buttons" },
        h("button", { type: "button", value: "accept_all", onclick: () => act("accept_all") }, t("acceptAll")),
        " ",
        h("button", { type: "button", value: "decline_all", onclick: () => act("decline_all") }, t("declineAll")),
        " ",
        h("a", { href: route("consent") }, t("consentSettings")),
      ),
    ),
  );
  banner.hidden = false;
}

// --- Navigation, language, routing --------------------------------------------------------------
function renderNavigation() {
  const items = [
    [route(""), t("programme"), ""],
    [route("offers"), t("offers"), "offers"],
    [route("dates"), t("dates"), "dates"],
  ];
  if (state.formPageId[state.lang]) items.push([pageLink(state.formPageId[state.lang]), t("consultation"), "form"]);
  const list = document.querySelector("#site-nav ul");
  list.replaceChildren(...items.map(([href, label, name]) => h("li", {}, h("a", { href, "data-nav": name || "programme" }, label))));
  const here = window.location.hash;
  for (const link of list.querySelectorAll("a")) if (link.getAttribute("href") === here) link.setAttribute("aria-current", "page");
}

/** The language switcher: a page's translations from its `alternates` (no extra requests);
 * elsewhere the same view in the other language. */
function renderLanguageSwitcher(view, rest) {
  const alternates = state.page ? alternatesOf(state.page) : null;
  const list = document.querySelector("#language-switcher ul");
  const names = TEXTS[state.lang].languageNames;
  const hash = window.location.hash;
  const search = hash.includes("?") ? hash.slice(hash.indexOf("?")) : "";
  const sameView = [view, ...rest].filter((part) => part !== "").join("/");
  list.replaceChildren(
    ...LANGUAGES.map((lang) => {
      let href;
      let note = null;
      if (lang === state.lang) href = hash || route("");
      else if (alternates) {
        const alternate = alternates.find((a) => a.locale === lang);
        if (alternate) href = `#/${lang}/page/${alternate.id}`;
        else {
          href = `#/${lang}/`;
          note = h("span", { class: "visually-hidden" }, ` ${TEXTS[lang].notTranslated}`);
        }
      } else href = `#/${lang}/${sameView}${search}`;
      return h(
        "li",
        {},
        h("a", { href, hreflang: lang, lang, "data-lang": lang, "aria-current": lang === state.lang ? "true" : null }, names[lang], note),
      );
    }),
  );
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  document.querySelector(".site-name a").setAttribute("href", route(""));
  document.getElementById("consent-settings-link").setAttribute("href", route("consent"));
}

function parseHash() {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path, search = ""] = hash.split("?");
  const parts = path.split("/").filter(Boolean);
  let lang = state.lang;
  if (LANGUAGES.includes(parts[0])) lang = parts.shift();
  return { lang, view: parts[0] || "", rest: parts.slice(1), search: new URLSearchParams(search) };
}

let rendering = Promise.resolve();

async function render() {
  const { lang, view, rest, search } = parseHash();
  const languageChanged = lang !== state.lang;
  state.lang = lang;
  applyLanguage();
  renderNavigation();
  main().setAttribute("aria-busy", "true");
  main().removeAttribute("lang");
  let heading;
  if (view === "page" && rest[0]) heading = await pageView(Number(rest[0]));
  else if (view === "path") heading = await pathView(`/${rest.map(decodeURIComponent).join("/")}/`.replace(/\/+$/, "/"));
  else if (view === "offers") heading = await offersView(search);
  else if (view === "dates") heading = await datesView();
  else if (view === "consent") heading = await consentView();
  else heading = await programmeView();
  main().removeAttribute("aria-busy");
  renderNavigation();
  renderLanguageSwitcher(view, rest);
  if (languageChanged && state.consent) renderBanner();
  return heading;
}

function navigate(initial = false) {
  rendering = rendering.then(async () => {
    const heading = await render();
    // a view change moves focus to its heading, so screen readers announce the new view
    if (!initial && heading) heading.focus();
    document.body.dataset.view = parseHash().view || "programme";
    document.body.dataset.ready = "true";
  });
  return rendering;
}

window.addEventListener("hashchange", () => {
  if (window.location.hash.startsWith("#/") || window.location.hash === "") {
    document.body.dataset.ready = "false";
    navigate();
  }
});

document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main().focus();
});

// For tests and the curious: every request the front end made, in order.
window.kokreativeRequests = requestLog;

document.documentElement.dataset.requestCount = "0";
state.lang = parseHash().lang;
navigate(true).then(consentBanner);
