"""The accessibility statement (tillgänglighetsredogörelse) the DOS law asks of public sites.

The way to report problems is configurable: STATS_A11Y_CONTACT (an e-mail address, a phone
number or a sentence); without it the statement tells readers to contact the processor.
"""

from __future__ import annotations

import os

from stats.publish.html import esc

CONTACT_ENV = "STATS_A11Y_CONTACT"
DIGG_URL = "https://www.digg.se/tdosanmalan"


def contact(processor: str) -> str:
    """How to report a problem: STATS_A11Y_CONTACT, else "Kontakta <processor>"."""
    configured = os.environ.get(CONTACT_ENV, "").strip()
    return configured or f"Kontakta {processor} och skriv att det gäller näringslivsstatistiken."


def _contact_html(text: str) -> str:
    """An e-mail address becomes a mailto link; any other text is shown as written."""
    if "@" in text and " " not in text and "<" not in text:
        return f'<a href="mailto:{esc(text)}">{esc(text)}</a>'
    return esc(text)


def statement_body(processor: str) -> str:
    """The statement's main content, following Digg's model statement."""
    how = _contact_html(contact(processor))
    return f"""<h1>Tillgänglighetsredogörelse</h1>
<p class="lead">{esc(processor)} står bakom de här sidorna med statistik från den regionala
näringslivsdialogen. Vi vill att så många som möjligt ska kunna använda dem. Här beskriver vi
hur sidorna uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, kända
brister och hur du rapporterar problem så att vi kan åtgärda dem.</p>
<h2>Hur tillgängliga är sidorna?</h2>
<p>Sidorna är byggda för att uppfylla WCAG 2.1 på nivå AA. Varje diagram har en textbeskrivning
och en tabell med samma siffror, källrad och fotnoter som text. Siffrorna skrivs med svensk
formatering.</p>
<h2>Kända brister</h2>
<ul>
<li>De interaktiva diagrammen (Plotly) visar värden när muspekaren förs över dem och kan inte
användas med tangentbord. Samma uppgifter finns i diagrammets textbeskrivning och i tabellen
under diagrammet.</li>
<li>PDF-filen är en utskrift av webbsidan med rubriker som bokmärken. PDF är inte lika
tillgängligt som webbsidan; använd webbsidan eller Word-filen om PDF-filen inte fungerar för
dig.</li>
<li>Bilderna (PNG) och presentationen (PowerPoint) är kopior av diagrammen; tabellerna finns i
Excel- och CSV-filerna.</li>
</ul>
<h2>Rapportera brister eller be om innehållet i annan form</h2>
<p>Om du inte kan ta del av något på sidorna, eller hittar brister som inte står här:
{how}</p>
<h2>Tillsyn</h2>
<p>Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om
tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina
synpunkter kan du <a href="{DIGG_URL}">anmäla det till Digg</a>.</p>
<h2>Hur vi testat sidorna</h2>
<p>Sidorna granskas automatiskt med axe-core i en webbläsare varje gång programmet testas: inga
allvarliga eller kritiska brister får finnas. Språket är angivet som svenska, varje sida har en
egen titel och rubrikerna kommer i ordning.</p>
"""
