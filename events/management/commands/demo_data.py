"""Sample actors, venues and session ideas for `manage.py demo_programme`. All of it is sample data."""

# The actors are real organisations in Sörmland's innovation support system; their descriptions are written for
# the sample programme. The contact persons are invented, marked "(exempel)", with e-mail at example.org and phone
# numbers from the series PTS reserves for fiction (070-17 406 xx, 08-46 50 05 xx), so no real person is reached.

# slug, name, kind, municipalities ("*" = all nine), support types, website, help text
ORGANISATIONS = [
    ("region-sormland", "Region Sörmland", "offentlig", "*",
     ["affarsutveckling", "finansiering", "forskning-och-samverkan"], "https://regionsormland.se",
     "Näringsliv och arbetsmarknad på Region Sörmland samordnar innovationsveckan och det regionala "
     "innovationsstödet. Vet du inte vart du ska vända dig med din idé? Börja hos oss, så hjälper vi dig att "
     "hitta rätt aktör.\n\n"
     "Vi kan också berätta om regionala utvecklingsmedel, företagsstöd och EU-projekt som rör ditt företag."),
    ("almi", "Almi Företagspartner Mälardalen", "finansiar", "*",
     ["affarsutveckling", "finansiering", "internationalisering"], "https://www.almi.se",
     "Almi ger lån, innovationsstöd och affärsrådgivning till företag i alla skeden, från idé till tillväxt. "
     "Har du en ny produkt eller tjänst kan du söka verifieringsmedel för att testa den mot marknaden.\n\n"
     "Våra rådgivare hjälper dig att se vad som behövs för att ta nästa steg och vem som kan finansiera det."),
    ("munktell-science-park", "Munktell Science Park", "inkubator", ["eskilstuna", "strangnas"],
     ["ideutveckling", "affarsutveckling", "teknikutveckling"], "https://www.munktellsciencepark.se",
     "Inkubator och science park i Eskilstuna. Vi coachar nystartade företag med innovativa idéer och "
     "skalbara affärsmodeller genom inkubatorprogram, affärscoacher och ett nätverk av erfarna företagare.\n\n"
     "Hör av dig för ett första samtal om din idé. Det kostar ingenting."),
    ("mitc", "MITC", "inkubator", ["nykoping", "oxelosund", "trosa", "gnesta"],
     ["ideutveckling", "affarsutveckling", "digitalisering"], "https://www.mitc.se",
     "MITC i Nyköping hjälper idébärare och företag att utveckla sina affärer, ofta med hjälp av digital teknik. "
     "Vi driver inkubator och affärsutvecklingsprogram och ordnar träffar där företag möter varandra."),
    ("mdu", "Mälardalens universitet", "larosate", "*",
     ["forskning-och-samverkan", "teknikutveckling", "ideutveckling"], "https://www.mdu.se",
     "Samverka med forskare och studenter: examensarbeten, gemensamma forskningsprojekt och kompetensutveckling "
     "för dina medarbetare.\n\n"
     "Innovationskontoret hjälper forskare och studenter att pröva och utveckla forskningsbaserade idéer."),
    ("nyforetagarcentrum", "NyföretagarCentrum Sörmland", "radgivning", "*",
     ["ideutveckling", "affarsutveckling"], "https://www.nyforetagarcentrum.se",
     "Kostnadsfri och konfidentiell rådgivning till dig som vill starta eget. Vi går igenom din affärsidé, "
     "budget och företagsform, och ordnar starta-eget-kvällar runt om i länet."),
    ("coompanion", "Coompanion Sörmland", "radgivning", "*",
     ["ideutveckling", "affarsutveckling", "hallbar-omstallning"], "https://coompanion.se",
     "Rådgivning för kooperativa och sociala företag, och för föreningar och grupper som vill driva verksamhet "
     "tillsammans. Vi hjälper till med affärsplan, föreningsform och finansiering."),
    ("ung-foretagsamhet", "Ung Företagsamhet Sörmland", "forening", "*",
     ["ideutveckling"], "https://ungforetagsamhet.se",
     "Vi ger unga möjlighet att driva UF-företag under gymnasiet och träna entreprenörskap. Företagare kan "
     "engagera sig som rådgivare eller jurymedlemmar på våra mässor."),
    ("strangnas-business-park", "Strängnäs Business Park", "inkubator", ["strangnas"],
     ["affarsutveckling", "teknikutveckling", "hallbar-omstallning"], "https://strangnasbusinesspark.se",
     "Mötesplats och inkubator i Strängnäs för företag inom bland annat life science och energi. Vi hjälper "
     "företag att växa med coachning, lokaler och kontakter."),
    ("eskilstuna-kommun", "Eskilstuna kommun, näringslivsenheten", "offentlig", ["eskilstuna"],
     ["affarsutveckling"], "https://www.eskilstuna.se",
     "Företagslotsar som hjälper dig med tillstånd, mark och lokaler och kontakter inom kommunen, för dig som "
     "driver eller vill starta företag i Eskilstuna."),
    ("nykoping-kommun", "Nyköpings kommun, näringslivsenheten", "offentlig", ["nykoping"],
     ["affarsutveckling"], "https://nykoping.se",
     "Vi hjälper företag i Nyköping med kontakter, mark och lokaler, tillstånd och kompetensförsörjning."),
    ("katrineholm-kommun", "Katrineholms kommun, näringsliv", "offentlig", ["katrineholm", "vingaker", "flen"],
     ["affarsutveckling", "hallbar-omstallning"], "https://www.katrineholm.se",
     "Näringslivsutveckling i Katrineholm med fokus på livsmedel, logistik och hållbar tillväxt. Vi samarbetar "
     "med Vingåker och Flen i frågor som rör hela västra Sörmland."),
    ("sparbanksstiftelsen", "Sparbanksstiftelsen Rekarne", "finansiar", ["eskilstuna", "strangnas"],
     ["finansiering"], "https://www.sparbanksstiftelsenrekarne.se",
     "Stiftelsen stöttar projekt som gör bygden till en bättre plats att bo, verka och driva företag i, bland "
     "annat satsningar på entreprenörskap och innovation."),
    ("ri-se", "RISE Research Institutes of Sweden", "larosate", "*",
     ["teknikutveckling", "forskning-och-samverkan", "hallbar-omstallning", "digitalisering"], "https://www.ri.se",
     "Testbäddar, forskning och provning som hjälper företag att pröva ny teknik innan de investerar. "
     "Vi kan också hjälpa till att hitta partner för forsknings- och innovationsprojekt."),
    ("business-sweden", "Business Sweden", "radgivning", "*",
     ["internationalisering"], "https://www.business-sweden.com",
     "Råd till företag som vill växa på nya marknader utomlands: marknadsanalys, kontakter och stöd på plats "
     "genom kontor runt om i världen."),
]

# organisation slug, name, title, unit, phones, public?
CONTACTS = [
    ("region-sormland", "Anna Lindqvist (exempel)", "Innovationsstrateg", "Näringsliv och arbetsmarknad",
     "Telefon: 08-46 50 05 01\nMobil: 070-174 06 05", True),
    ("region-sormland", "Erik Holm (exempel)", "Utvecklingsledare", "Näringsliv och arbetsmarknad",
     "Mobil: 070-174 06 06", True),
    ("almi", "Sara Berg (exempel)", "Innovationsrådgivare", "Almi Mälardalen", "Telefon: 08-46 50 05 02", True),
    ("almi", "Karin Öberg (exempel)", "Finansieringsrådgivare", "Almi Mälardalen", "Mobil: 070-174 06 07", True),
    ("munktell-science-park", "Johan Ek (exempel)", "Affärscoach", "Inkubatorn", "Mobil: 070-174 06 08", True),
    ("mitc", "Lina Sjöberg (exempel)", "Verksamhetsledare", "", "Mobil: 070-174 06 09", True),
    ("mdu", "Omar Haddad (exempel)", "Innovationsrådgivare", "Innovationskontoret", "Telefon: 08-46 50 05 03", True),
    ("mdu", "Privat Person (exempel)", "Forskare", "Akademin för innovation", "Mobil: 070-174 06 99", False),
    ("nyforetagarcentrum", "Maria Nilsson (exempel)", "Rådgivare", "", "Mobil: 070-174 06 10", True),
    ("coompanion", "Peter Lund (exempel)", "Affärsrådgivare", "", "Mobil: 070-174 06 11", True),
    ("ung-foretagsamhet", "Fatima Ali (exempel)", "Regionchef", "", "Mobil: 070-174 06 12", True),
    ("strangnas-business-park", "Jonas Wikström (exempel)", "Affärsutvecklare", "", "Mobil: 070-174 06 13", True),
    ("eskilstuna-kommun", "Elin Andersson (exempel)", "Företagslots", "Näringslivsenheten",
     "Telefon: 08-46 50 05 04", True),
    ("nykoping-kommun", "Ahmed Karimi (exempel)", "Näringslivsutvecklare", "Näringslivsenheten",
     "Mobil: 070-174 06 14", True),
    ("katrineholm-kommun", "Helena Svensson (exempel)", "Näringslivschef", "", "Mobil: 070-174 06 15", True),
    ("ri-se", "Mikael Larsson (exempel)", "Forskare och testbäddsansvarig", "Energi och miljö",
     "Telefon: 08-46 50 05 05", True),
    ("business-sweden", "Sofia Nyberg (exempel)", "Exportrådgivare", "Region Mälardalen", "Mobil: 070-174 06 16", True),
]

# slug, name, street, postcode, town, municipality, lat, lon, accessibility
VENUES = [
    ("munktell", "Munktell Science Park", "Verkstadsgatan 11", "632 20", "Eskilstuna", "eskilstuna",
     "59.369800", "16.504900",
     "Hiss till alla våningar. Hörslinga i hörsalen. Parkering för rörelsehindrade vid entrén."),
    ("mitc", "MITC", "Nyköpingsvägen 5", "611 38", "Nyköping", "nykoping", "58.753000", "17.008000",
     "Entré i markplan och tillgänglig toalett."),
    ("mdu-eskilstuna", "Mälardalens universitet, Eskilstuna", "Rosenhillsgatan 3", "632 20", "Eskilstuna", "eskilstuna",
     "59.367000", "16.509000", "Hiss och hörslinga i alla föreläsningssalar."),
    ("sbp", "Strängnäs Business Park", "Gorsingeholmsvägen 1", "645 33", "Strängnäs", "strangnas", "59.372000",
     "17.036000", "Ramp vid entrén."),
    ("katrineholm-kulturhus", "Kulturhuset Ebeneser", "Fredsgatan 17", "641 30", "Katrineholm", "katrineholm",
     "58.995000", "16.205000", "Hiss finns. Hörslinga i stora salen."),
    ("flen-bibliotek", "Flens bibliotek", "Stora Torget 1", "642 37", "Flen", "flen", None, None,
     "Entré i markplan."),
    ("gnesta-kommunhus", "Gnesta kommunhus", "Västra storgatan 15", "646 30", "Gnesta", "gnesta", None, None,
     "Hiss finns."),
    ("oxelosund-koksa", "Koksa kulturhus", "Koksa 1", "613 31", "Oxelösund", "oxelosund", None, None,
     "Tillgänglig entré och toalett."),
    ("trosa-stadshus", "Trosa stadshus", "Västra Långgatan 8", "619 80", "Trosa", "trosa", None, None,
     "Hiss och hörslinga."),
    ("vingaker-rosenhall", "Rosenhall", "Storgatan 1", "643 30", "Vingåker", "vingaker", None, None,
     "Entré i markplan."),
]

# title, summary, themes, audiences
SESSION_IDEAS = [
    ("Från idé till affär", "Så testar du din idé mot kunder innan du lägger pengar på den.",
     ["smart-industri"], ["idebarare", "nyforetagare"]),
    ("Finansiering för innovativa företag", "Lån, bidrag och riskkapital: vem finansierar vad i Sörmland?",
     ["smart-industri", "life-science"], ["nyforetagare", "befintliga-foretag"]),
    ("Starta eget – grunderna", "Företagsform, budget och skatter för dig som vill starta.",
     [], ["idebarare", "alla"]),
    ("Digitala tvillingar i produktionen", "Hur små industriföretag kan använda digitala tvillingar.",
     ["smart-industri"], ["befintliga-foretag"]),
    ("Lokal mat med lägre klimatavtryck", "Livsmedelsföretag berättar hur de ställt om.",
     ["hallbar-livsmedelsforsorjning"], ["befintliga-foretag", "alla"]),
    ("Solceller och energilager för företag", "Räkna på egen elproduktion och lagring.",
     ["morgondagens-energilosningar"], ["befintliga-foretag", "offentlig-sektor"]),
    ("Välfärdsteknik som fungerar i vardagen", "Kommuner och företag utvecklar hemtjänstens verktyg tillsammans.",
     ["life-science"], ["offentlig-sektor", "befintliga-foretag"]),
    ("Möt forskare: samverka med universitetet", "Så hittar ditt företag rätt forskare och student.",
     ["smart-industri", "life-science"], ["befintliga-foretag", "studenter-och-unga"]),
    ("UF-mässa: unga entreprenörer visar upp sig", "Gymnasieelever visar sina UF-företag.",
     [], ["studenter-och-unga", "alla"]),
    ("Kooperativt företagande", "Driv företag tillsammans med andra: så fungerar ekonomisk förening.",
     ["hallbar-livsmedelsforsorjning"], ["idebarare"]),
    ("Skydda din idé: patent och varumärken", "Grunderna i immaterialrätt för små företag.",
     ["smart-industri"], ["idebarare", "nyforetagare"]),
    ("Exportera till Norden", "Första stegen ut på en ny marknad.",
     [], ["befintliga-foretag"]),
    ("Vätgas i Sörmland", "Regionens planer och möjligheterna för underleverantörer.",
     ["morgondagens-energilosningar", "smart-industri"], ["befintliga-foretag", "offentlig-sektor"]),
    ("Hälsoinnovation: från behov till produkt", "Vården berättar om behov som söker lösningar.",
     ["life-science"], ["idebarare", "befintliga-foretag"]),
    ("AI för småföretag", "Konkreta exempel på AI-verktyg som sparar tid.",
     ["smart-industri"], ["nyforetagare", "befintliga-foretag"]),
    ("Frukostseminarium: innovationsstödet i Sörmland", "Alla aktörer på tio minuter var.",
     ["smart-industri", "hallbar-livsmedelsforsorjning", "morgondagens-energilosningar", "life-science"], ["alla"]),
    ("Pitchträning", "Öva på att presentera din idé på tre minuter.",
     [], ["idebarare", "studenter-och-unga"]),
    ("Cirkulära affärsmodeller", "Tjäna pengar på att produkter används längre.",
     ["smart-industri", "morgondagens-energilosningar"], ["befintliga-foretag"]),
    ("Matinnovation på landsbygden", "Gårdsbutiker, förädling och nya kanaler.",
     ["hallbar-livsmedelsforsorjning"], ["nyforetagare", "befintliga-foretag"]),
    ("Testbäddar för energi", "Pröva ny energiteknik i verklig miljö.",
     ["morgondagens-energilosningar"], ["befintliga-foretag"]),
]

DESCRIPTION = (
    "{summary}\n\n"
    "Programpunkten ingår i Sörmlands innovationsvecka. Här träffar du {org}, som berättar hur de kan hjälpa "
    "dig vidare. Efteråt finns tid för frågor och samtal.\n\n"
    "Detta är exempeldata för att visa hur programmet ser ut."
)
