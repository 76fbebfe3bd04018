"""The partnerships part of the demo world: people, organisations and partnerships.

``build(world)`` is called first among the apps by ``seed_demo`` (see ``harambee.demo`` for
the contract). It fills ``world.admin``, ``world.users``, ``world.organisations``,
``world.partnerships`` and ``world.leads`` for the apps after it.

Every hand-written text is in English, French, Spanish and Swahili; each record says in
``source_language`` which one its author wrote (Tunza's in Swahili, the Sahel alliance's in
French, the Andean ones in Spanish), and the others are its translations. The benchmark
rows are English only.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.models import User
from harambee.bulk import bulk_insert
from harambee.demo import World, insert_returning_ids, insert_returning_objects, translated
from partnerships import services
from partnerships.codelists import ActivityStatus, OrganisationRole, OrganisationType
from partnerships.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    MemberRole,
    Milestone,
    Organisation,
    Partner,
    Partnership,
    Sector,
    Visibility,
)

DEMO_PASSWORD = "harambee-demo"  # noqa: S105 - printed for the demo on purpose
ADMIN_EMAIL = "admin@demo.harambee.org"

ORGANISATIONS = [
    # key, name, acronym, type, country, IATI organisation identifier
    (
        "ict-ministry",
        "Ministry of ICT and Innovation",
        "MoICT",
        OrganisationType.GOVERNMENT,
        "KE",
        "KE-GOV-MOICT",
    ),
    (
        "kilifi-county",
        "Kilifi County Government",
        "KCG",
        OrganisationType.GOVERNMENT,
        "KE",
        "KE-GOV-KILIFI",
    ),
    (
        "open-learning",
        "Open Learning Exchange",
        "OLE",
        OrganisationType.INTERNATIONAL_NGO,
        "GH",
        "GH-RGD-CG0412",
    ),
    (
        "tunza",
        "Tunza Community Network",
        "TCN",
        OrganisationType.NATIONAL_NGO,
        "KE",
        "KE-NCB-TCN001",
    ),
    (
        "sahel-women",
        "Sahel Women Digital Alliance",
        "SWDA",
        OrganisationType.REGIONAL_NGO,
        "SN",
        "SN-NINEA-0051234",
    ),
    (
        "andes-radio",
        "Radio Comunitaria de los Andes",
        "RCA",
        OrganisationType.PARTNER_COUNTRY_NGO,
        "PE",
        "PE-RUC-20512345678",
    ),
    (
        "connect-ppp",
        "Rural Connect Partnership",
        "RCP",
        OrganisationType.PUBLIC_PRIVATE,
        "UG",
        "UG-RSB-80020001234",
    ),
    (
        "undp-like",
        "Regional Development Programme",
        "RDP",
        OrganisationType.MULTILATERAL,
        "RW",
        "XM-DAC-41999",
    ),
    (
        "seed-fund",
        "Seedling Foundation",
        "SF",
        OrganisationType.FOUNDATION,
        "GB",
        "GB-CHC-1123456",
    ),
    (
        "mawingu",
        "Mawingu Networks Ltd",
        "",
        OrganisationType.PRIVATE_SECTOR,
        "KE",
        "KE-RCO-CPR2014001",
    ),
    (
        "solar-co",
        "SunBridge Solar",
        "",
        OrganisationType.PRIVATE_SECTOR,
        "IN",
        "IN-MCA-U40106KA2015PTC081234",
    ),
    (
        "strathmore",
        "Centre for ICT4D Research",
        "CIR",
        OrganisationType.ACADEMIC,
        "ZA",
        "ZA-CIP-2001012345",
    ),
    (
        "coop-union",
        "Coffee Growers' Cooperative Union",
        "CGCU",
        OrganisationType.OTHER,
        "CO",
        "CO-RUE-860007538",
    ),
]

# What each organisation says about itself, and the language it wrote that in.
ORGANISATION_TEXTS = {
    "ict-ministry": (
        "en",
        {
            "en": "Kenya's national ministry for ICT policy, broadband and digital government "
            "services; it co-funds connectivity for public schools and health facilities.",
            "fr": "Le ministère kényan chargé de la politique numérique, du haut débit et des "
            "services publics en ligne ; il cofinance la connexion des écoles et des centres de "
            "santé publics.",
            "es": "El ministerio keniano responsable de la política digital, la banda ancha y el "
            "gobierno electrónico; cofinancia la conectividad de escuelas y centros de salud "
            "públicos.",
            "sw": "Wizara ya kitaifa ya Kenya inayosimamia sera ya TEHAMA, intaneti ya kasi na "
            "huduma za serikali kidijitali; inachangia gharama za kuunganisha shule na vituo vya "
            "afya vya umma kwenye mtandao.",
        },
    ),
    "kilifi-county": (
        "en",
        {
            "en": "The county government of Kilifi on the Kenyan coast, responsible for "
            "agricultural extension, rural water supply and the ward development fund.",
            "fr": "Le gouvernement du comté de Kilifi, sur la côte kényane, chargé de la "
            "vulgarisation agricole, de l'eau en milieu rural et du fonds de développement des "
            "circonscriptions.",
            "es": "El gobierno del condado de Kilifi, en la costa de Kenia, responsable de la "
            "extensión agraria, el agua en las zonas rurales y el fondo de desarrollo de los "
            "distritos.",
            "sw": "Serikali ya kaunti ya Kilifi, pwani ya Kenya, yenye jukumu la huduma za ugani "
            "kwa wakulima, maji vijijini na mfuko wa maendeleo wa wadi.",
        },
    ),
    "open-learning": (
        "en",
        {
            "en": "An education NGO based in Accra that equips rural schools with offline "
            "learning libraries and trains teachers to use them in class.",
            "fr": "Une ONG éducative basée à Accra qui équipe les écoles rurales de bibliothèques "
            "numériques hors ligne et forme les enseignants à s'en servir en classe.",
            "es": "Una ONG educativa con sede en Acra que dota a las escuelas rurales de "
            "bibliotecas digitales sin conexión y forma al profesorado para usarlas en el aula.",
            "sw": "Shirika lisilo la kiserikali la elimu lenye makao yake Accra, linalozipa shule "
            "za vijijini maktaba za kidijitali zisizohitaji intaneti na kuwafunza walimu "
            "kuzitumia darasani.",
        },
    ),
    "tunza": (
        "sw",
        {
            "sw": "Mtandao wa vikundi vya kijamii katika kaunti ya Kilifi unaowasaidia wakulima "
            "wadogo, hasa wanawake, kupata taarifa za soko na kudai huduma bora kutoka kwa "
            "serikali ya kaunti.",
            "en": "A network of community groups in Kilifi County that helps smallholder "
            "farmers, women above all, get market information and demand better services from "
            "the county government.",
            "fr": "Un réseau de groupes communautaires du comté de Kilifi qui aide les petits "
            "exploitants, et d'abord les femmes, à s'informer sur les marchés et à exiger de "
            "meilleurs services du gouvernement du comté.",
            "es": "Una red de grupos comunitarios del condado de Kilifi que ayuda a los pequeños "
            "agricultores, sobre todo a las mujeres, a conocer los precios del mercado y a "
            "exigir mejores servicios al gobierno del condado.",
        },
    ),
    "sahel-women": (
        "fr",
        {
            "fr": "Une alliance d'associations de femmes du Sénégal, du Mali et du Niger qui "
            "anime des cercles d'apprentissage du numérique en wolof, en bambara et en français.",
            "en": "An alliance of women's associations in Senegal, Mali and Niger that runs "
            "digital learning circles in Wolof, Bambara and French.",
            "es": "Una alianza de asociaciones de mujeres de Senegal, Malí y Níger que organiza "
            "círculos de aprendizaje digital en wolof, bambara y francés.",
            "sw": "Muungano wa vyama vya wanawake nchini Senegali, Mali na Niger unaoendesha "
            "vikundi vya kujifunza stadi za kidijitali kwa Kiwolof, Kibambara na Kifaransa.",
        },
    ),
    "andes-radio": (
        "es",
        {
            "es": "Emisora comunitaria de Cusco que transmite en quechua y castellano desde 1994 "
            "y produce sus programas agrarios con los propios comuneros.",
            "en": "A community radio station in Cusco that has broadcast in Quechua and Spanish "
            "since 1994 and makes its farming programmes with the villagers themselves.",
            "fr": "Une radio communautaire de Cusco qui émet en quechua et en espagnol depuis "
            "1994 et réalise ses émissions agricoles avec les paysans eux-mêmes.",
            "sw": "Redio ya jamii mjini Cusco inayotangaza kwa Kikechua na Kihispania tangu mwaka "
            "1994, na kuandaa vipindi vyake vya kilimo pamoja na wanakijiji wenyewe.",
        },
    ),
    "connect-ppp": (
        "en",
        {
            "en": "A public-private partnership that brings mobile broadband to rural districts "
            "of Uganda, with operators and the government sharing the towers.",
            "fr": "Un partenariat public-privé qui apporte le haut débit mobile aux districts "
            "ruraux de l'Ouganda, les opérateurs et l'État partageant les pylônes.",
            "es": "Una alianza público-privada que lleva la banda ancha móvil a los distritos "
            "rurales de Uganda, con operadores y Estado compartiendo las torres.",
            "sw": "Ubia kati ya serikali na sekta binafsi unaopeleka intaneti ya simu kwenye "
            "wilaya za vijijini nchini Uganda, huku kampuni za simu na serikali zikigawana "
            "minara.",
        },
    ),
    "undp-like": (
        "en",
        {
            "en": "A multilateral programme based in Kigali that funds digital public services "
            "and skills across East Africa, pairing governments with local implementers.",
            "fr": "Un programme multilatéral basé à Kigali qui finance des services publics "
            "numériques et des formations en Afrique de l'Est, en associant les gouvernements à "
            "des acteurs locaux.",
            "es": "Un programa multilateral con sede en Kigali que financia servicios públicos "
            "digitales y formación en África Oriental, uniendo a los gobiernos con "
            "organizaciones locales.",
            "sw": "Programu ya kimataifa yenye makao yake Kigali inayofadhili huduma za umma za "
            "kidijitali na mafunzo ya ujuzi Afrika Mashariki, ikiziunganisha serikali na "
            "watekelezaji wa ndani.",
        },
    ),
    "seed-fund": (
        "en",
        {
            "en": "A UK foundation that backs community-led technology projects with small, "
            "flexible grants and support over several years.",
            "fr": "Une fondation britannique qui soutient les projets technologiques portés par "
            "les communautés, par de petites subventions souples et un accompagnement sur "
            "plusieurs années.",
            "es": "Una fundación británica que apoya proyectos tecnológicos impulsados por las "
            "comunidades con subvenciones pequeñas y flexibles y acompañamiento durante varios "
            "años.",
            "sw": "Wakfu wa Uingereza unaosaidia miradi ya teknolojia inayoongozwa na jamii kwa "
            "ruzuku ndogo zinazonyumbulika na msaada wa miaka kadhaa.",
        },
    ),
    "mawingu": (
        "en",
        {
            "en": "A Kenyan internet provider that builds low-cost wireless networks and SMS "
            "services for rural towns and markets.",
            "fr": "Un fournisseur d'accès kényan qui déploie des réseaux sans fil à bas coût et "
            "des services SMS pour les bourgs et les marchés ruraux.",
            "es": "Un proveedor de internet keniano que construye redes inalámbricas de bajo "
            "costo y servicios de SMS para pueblos y mercados rurales.",
            "sw": "Kampuni ya Kenya ya huduma za intaneti inayojenga mitandao ya bei nafuu "
            "isiyotumia waya na huduma za SMS kwa miji midogo na masoko ya vijijini.",
        },
    ),
    "solar-co": (
        "en",
        {
            "en": "A Bengaluru company that designs and maintains solar power kits for schools "
            "and clinics off the grid.",
            "fr": "Une entreprise de Bangalore qui conçoit et entretient des kits solaires pour "
            "les écoles et les dispensaires non raccordés au réseau.",
            "es": "Una empresa de Bangalore que diseña y mantiene equipos solares para escuelas "
            "y consultorios sin conexión a la red eléctrica.",
            "sw": "Kampuni ya Bangalore inayobuni na kutunza mifumo ya umeme wa jua kwa shule na "
            "zahanati zisizounganishwa na gridi ya taifa.",
        },
    ),
    "strathmore": (
        "en",
        {
            "en": "A university research centre in Cape Town that studies how digital services "
            "reach poor and rural communities, and trains practitioners to evaluate them.",
            "fr": "Un centre de recherche universitaire du Cap qui étudie comment les services "
            "numériques atteignent les communautés pauvres et rurales, et forme les praticiens "
            "à les évaluer.",
            "es": "Un centro de investigación universitario de Ciudad del Cabo que estudia cómo "
            "llegan los servicios digitales a las comunidades pobres y rurales, y forma a "
            "profesionales para evaluarlos.",
            "sw": "Kituo cha utafiti cha chuo kikuu mjini Cape Town kinachochunguza jinsi huduma "
            "za kidijitali zinavyowafikia watu maskini na wa vijijini, na kuwafunza wataalamu "
            "kuzitathmini.",
        },
    ),
    "coop-union": (
        "es",
        {
            "es": "Unión de cooperativas cafeteras de Colombia que ofrece asistencia técnica y "
            "comercialización a más de tres mil familias productoras.",
            "en": "A union of Colombian coffee cooperatives that gives technical assistance and "
            "marketing to more than three thousand farming families.",
            "fr": "Une union de coopératives caféières colombiennes qui apporte appui technique "
            "et débouchés commerciaux à plus de trois mille familles de producteurs.",
            "sw": "Muungano wa vyama vya ushirika vya wakulima wa kahawa nchini Kolombia "
            "unaotoa msaada wa kitaalamu na masoko kwa zaidi ya familia elfu tatu.",
        },
    ),
}

# Each partnership's activity identifier is its lead's organisation identifier, "-", and
# its key in capitals (IATI's rule). "start" is in days from today: pipeline partnerships
# start in the future. "left" is when a partner left, in days after the start;
# "defaulted" partners did not pay their cash. "written_in" is the language its lead wrote
# it in (the others are translations); its milestones are written in the same language.
PARTNERSHIPS = [
    {
        "key": "maize-prices",
        "written_in": "sw",
        "title": {
            "sw": "Redio ya jamii na SMS kwa bei za mahindi",
            "en": "Community radio and SMS for maize prices",
            "fr": "Radio communautaire et SMS pour les prix du maïs",
            "es": "Radio comunitaria y SMS para los precios del maíz",
        },
        "problem": {
            "sw": "Wakulima wadogo huwauzia madalali bila kujua bei za soko, na hupoteza "
            "theluthi moja ya mapato yao; wakulima wanawake ndio wanaokosa taarifa zaidi.",
            "en": "Smallholder farmers sell to middlemen without knowing market prices, "
            "losing a third of their income; women farmers are the least informed.",
            "fr": "Les petits exploitants vendent aux intermédiaires sans connaître les prix du "
            "marché et perdent un tiers de leurs revenus ; les agricultrices sont les moins "
            "bien informées.",
            "es": "Los pequeños agricultores venden a intermediarios sin conocer los precios del "
            "mercado y pierden un tercio de sus ingresos; las agricultoras son las peor "
            "informadas.",
        },
        "summary": {
            "sw": "Kila asubuhi wakulima wa Kilifi hupokea kwa SMS bei za mahindi za masoko "
            "matatu yaliyo karibu, na kipindi cha redio cha kila wiki hujibu maswali yao. "
            "Vikundi vya wakulima wanawake ndivyo huchagua masoko yanayofuatiliwa.",
            "en": "Every morning, farmers in Kilifi get the maize prices of the three nearest "
            "markets by SMS, and a weekly radio programme answers their questions. Women's "
            "farmer groups choose which markets are followed.",
            "fr": "Chaque matin, les agriculteurs de Kilifi reçoivent par SMS le prix du maïs "
            "sur les trois marchés les plus proches, et une émission de radio hebdomadaire "
            "répond à leurs questions. Ce sont les groupements d'agricultrices qui choisissent "
            "les marchés suivis.",
            "es": "Cada mañana, los agricultores de Kilifi reciben por SMS el precio del maíz en "
            "los tres mercados más cercanos, y un programa de radio semanal responde a sus "
            "preguntas. Los grupos de agricultoras eligen qué mercados se siguen.",
        },
        "lead": "tunza",
        "partners": [
            ("seed-fund", OrganisationRole.FUNDING),
            ("mawingu", OrganisationRole.IMPLEMENTING),
            ("kilifi-county", OrganisationRole.EXTENDING),
        ],
        "countries": ["KE"],
        "sectors": ["31166", "22030"],
        "status": ActivityStatus.IMPLEMENTATION,
        "visibility": Visibility.PUBLIC,
        "start": -420,
    },
    {
        "key": "solar-labs",
        "written_in": "en",
        "title": {
            "en": "Solar-powered school computer labs",
            "fr": "Salles informatiques solaires pour les écoles",
            "es": "Aulas de informática con energía solar para escuelas",
            "sw": "Maabara za kompyuta za shule zinazotumia nishati ya jua",
        },
        "problem": {
            "en": "Rural schools have donated computers that sit unused because there is "
            "no electricity and teachers were never trained to use them.",
            "fr": "Dans les écoles rurales, les ordinateurs reçus en don restent inutilisés faute "
            "d'électricité, et les enseignants n'ont jamais été formés à s'en servir.",
            "es": "En las escuelas rurales, las computadoras donadas no se usan porque no hay "
            "electricidad y nunca se enseñó a los docentes a utilizarlas.",
            "sw": "Shule za vijijini zina kompyuta zilizotolewa kama msaada ambazo hazitumiki "
            "kwa sababu hakuna umeme, na walimu hawajawahi kufunzwa kuzitumia.",
        },
        "summary": {
            "en": "Solar kits power computer labs in forty rural schools in Ghana and Kenya, "
            "with lessons preloaded for use offline. Two teachers in each school are trained to "
            "run the lab and teach with it.",
            "fr": "Des kits solaires alimentent les salles informatiques de quarante écoles "
            "rurales du Ghana et du Kenya, avec des leçons préchargées consultables hors ligne. "
            "Dans chaque école, deux enseignants apprennent à gérer la salle et à y faire cours.",
            "es": "Equipos solares alimentan las aulas de informática de cuarenta escuelas "
            "rurales de Ghana y Kenia, con lecciones precargadas que funcionan sin conexión. En "
            "cada escuela se forma a dos docentes para gestionar el aula y enseñar con ella.",
            "sw": "Mifumo ya umeme wa jua inaendesha maabara za kompyuta katika shule arobaini "
            "za vijijini nchini Ghana na Kenya, zikiwa na masomo yaliyowekwa tayari yasiyohitaji "
            "intaneti. Walimu wawili wa kila shule wanafunzwa kuisimamia maabara na kufundishia "
            "humo.",
        },
        "lead": "open-learning",
        "partners": [
            ("solar-co", OrganisationRole.IMPLEMENTING),
            ("undp-like", OrganisationRole.FUNDING),
            ("ict-ministry", OrganisationRole.EXTENDING),
        ],
        "countries": ["GH", "KE"],
        "sectors": ["11220", "23230", "22040"],
        "status": ActivityStatus.FINALISATION,
        "visibility": Visibility.PUBLIC,
        "start": -900,
    },
    {
        "key": "literacy-circles",
        "written_in": "fr",
        "title": {
            "fr": "Cercles d'alphabétisation numérique pour les femmes",
            "en": "Women's digital literacy circles",
            "es": "Círculos de alfabetización digital para mujeres",
            "sw": "Vikundi vya wanawake vya kujifunza stadi za kidijitali",
        },
        "problem": {
            "fr": "Dans les quartiers périurbains, les femmes manquent de confiance et des "
            "compétences numériques de base pour utiliser sans risque le mobile money et les "
            "services administratifs en ligne.",
            "en": "Women in peri-urban settlements lack the confidence and basic e-skills "
            "to use mobile money and e-government services safely.",
            "es": "En los barrios periurbanos, las mujeres carecen de la confianza y de las "
            "competencias digitales básicas para usar con seguridad el dinero móvil y los "
            "trámites en línea.",
            "sw": "Wanawake katika makazi ya pembezoni mwa miji hawana ujasiri wala ujuzi wa "
            "msingi wa kidijitali wa kutumia pesa kwa simu na huduma za serikali mtandaoni kwa "
            "usalama.",
        },
        "summary": {
            "fr": "À Pikine, des cercles de quinze femmes se réunissaient chaque semaine avec "
            "une animatrice du quartier pour apprendre, en wolof, à envoyer de l'argent, à "
            "repérer les arnaques et à faire leurs démarches en ligne.",
            "en": "In Pikine, circles of fifteen women met every week with a facilitator from "
            "the neighbourhood to learn, in Wolof, how to send money, spot scams and deal with "
            "the administration online.",
            "es": "En Pikine, círculos de quince mujeres se reunían cada semana con una "
            "facilitadora del barrio para aprender, en wolof, a enviar dinero, detectar estafas "
            "y hacer trámites en línea.",
            "sw": "Mjini Pikine, vikundi vya wanawake kumi na watano vilikutana kila wiki na "
            "mwezeshaji wa mtaa wao ili kujifunza, kwa Kiwolof, kutuma pesa, kutambua utapeli "
            "na kushughulikia huduma za serikali mtandaoni.",
        },
        "lead": "sahel-women",
        "partners": [
            ("seed-fund", OrganisationRole.FUNDING),
            ("strathmore", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["SN"],
        "sectors": ["11230", "15170"],
        "status": ActivityStatus.CLOSED,
        "visibility": Visibility.PUBLIC,
        "start": -1400,
    },
    {
        "key": "telemedicine",
        "written_in": "en",
        "title": {
            "en": "Telemedicine for remote health posts",
            "fr": "Télémédecine pour les postes de santé isolés",
            "es": "Telemedicina para puestos de salud remotos",
            "sw": "Tiba mtandao kwa vituo vya afya vya mbali",
        },
        "problem": {
            "en": "Nurses at remote health posts cannot consult a doctor and refer "
            "patients on a two-day walk that many cannot afford.",
            "fr": "Les infirmiers des postes de santé isolés ne peuvent pas consulter de médecin "
            "et envoient les patients vers un hôpital à deux jours de marche, un voyage que "
            "beaucoup ne peuvent pas se permettre.",
            "es": "El personal de enfermería de los puestos de salud remotos no puede consultar "
            "a un médico y deriva a los pacientes a dos días de camino, un viaje que muchos no "
            "pueden costear.",
            "sw": "Wauguzi katika vituo vya afya vya mbali hawawezi kushauriana na daktari, "
            "hivyo huwapa wagonjwa rufaa inayohitaji safari ya siku mbili kwa miguu ambayo "
            "wengi hawawezi kuimudu.",
        },
        "summary": {
            "en": "Nurses at twelve health posts in northern Uganda were to consult district "
            "doctors by video and phone. The partnership was cancelled when the network "
            "operator withdrew and the ministry's funding never arrived.",
            "fr": "Les infirmiers de douze postes de santé du nord de l'Ouganda devaient "
            "consulter les médecins du district par vidéo et par téléphone. Le partenariat a "
            "été annulé après le retrait de l'opérateur réseau, le financement du ministère "
            "n'étant jamais arrivé.",
            "es": "El personal de doce puestos de salud del norte de Uganda iba a consultar a "
            "los médicos del distrito por video y teléfono. La alianza se canceló cuando el "
            "operador de red se retiró y la financiación del ministerio nunca llegó.",
            "sw": "Wauguzi wa vituo kumi na viwili vya afya kaskazini mwa Uganda walipaswa "
            "kushauriana na madaktari wa wilaya kwa video na simu. Ubia ulisitishwa baada ya "
            "kampuni ya mtandao kujiondoa na fedha za wizara kutowasili kamwe.",
        },
        "lead": "connect-ppp",
        "partners": [
            ("ict-ministry", OrganisationRole.FUNDING),
            ("mawingu", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["UG"],
        "sectors": ["12220", "22020"],
        "status": ActivityStatus.CANCELLED,
        "visibility": Visibility.PUBLIC,
        "start": -800,
        "left": {"mawingu": 400},
        "defaulted": {"ict-ministry"},
        "cancelled_after": 420,  # days after the start: soon after the implementer left
    },
    {
        "key": "quechua-voice",
        "written_in": "es",
        "title": {
            "es": "Asesoría agraria por voz en quechua",
            "en": "Quechua-language farm advice by voice",
            "fr": "Conseil agricole par la voix, en quechua",
            "sw": "Ushauri wa kilimo kwa sauti kwa lugha ya Kikechua",
        },
        "problem": {
            "es": "La asistencia técnica se publica en textos en castellano que los "
            "agricultores quechuahablantes no pueden leer; los programas radiales con llamadas "
            "del público les llegan, pero no pueden responder preguntas individuales.",
            "en": "Extension advice is published in Spanish text that Quechua-speaking "
            "farmers cannot read; radio call-in shows reach them but cannot answer individual "
            "questions.",
            "fr": "Les conseils agricoles sont publiés en espagnol écrit, que les paysans "
            "quechuaphones ne savent pas lire ; les émissions de radio avec appels des auditeurs "
            "les atteignent, mais ne peuvent pas répondre à chacun.",
            "sw": "Ushauri wa ugani huchapishwa kwa maandishi ya Kihispania ambayo wakulima "
            "wanaozungumza Kikechua hawawezi kusoma; vipindi vya redio vya kupiga simu "
            "huwafikia, lakini haviwezi kujibu maswali ya kila mmoja.",
        },
        "summary": {
            "es": "Los comuneros dejan preguntas de voz en quechua en una línea gratuita, y los "
            "agrónomos de la cooperativa responden con grabaciones que la radio también "
            "difunde. La alianza está suspendida mientras se renegocia la línea con el "
            "operador.",
            "en": "Farmers leave spoken questions in Quechua on a free line, and the "
            "cooperative's agronomists answer with recordings that the radio also broadcasts. "
            "The partnership is suspended while the line is renegotiated with the operator.",
            "fr": "Les paysans laissent leurs questions en quechua sur une ligne vocale "
            "gratuite, et les agronomes de la coopérative répondent par des messages enregistrés "
            "que la radio diffuse aussi. Le partenariat est suspendu le temps de renégocier la "
            "ligne avec l'opérateur.",
            "sw": "Wakulima huacha maswali ya sauti kwa Kikechua kwenye laini ya bure, na "
            "wataalamu wa kilimo wa chama cha ushirika hujibu kwa rekodi ambazo redio pia "
            "huzitangaza. Ubia umesimamishwa kwa muda wakati mkataba wa laini unajadiliwa upya "
            "na kampuni ya simu.",
        },
        "lead": "andes-radio",
        "partners": [
            ("coop-union", OrganisationRole.IMPLEMENTING),
            ("seed-fund", OrganisationRole.FUNDING),
        ],
        "countries": ["PE", "CO"],
        "sectors": ["31166", "22030"],
        "status": ActivityStatus.SUSPENDED,
        "visibility": Visibility.PUBLIC,
        "start": -600,
    },
    {
        "key": "water-points",
        "written_in": "sw",
        "title": {
            "sw": "Ufuatiliaji wa vituo vya maji kwa simu",
            "en": "Water point monitoring by mobile",
            "fr": "Suivi des points d'eau par téléphone mobile",
            "es": "Monitoreo de puntos de agua por celular",
        },
        "problem": {
            "sw": "Pampu za mkono zilizoharibika hukaa bila kutengenezwa kwa miezi kwa sababu "
            "hakuna mhusika anayepata habari.",
            "en": "Broken hand pumps stay broken for months because nobody responsible "
            "hears about them.",
            "fr": "Les pompes à main en panne le restent pendant des mois, car aucun responsable "
            "n'en est averti.",
            "es": "Las bombas manuales averiadas siguen así durante meses porque ningún "
            "responsable se entera.",
        },
        "summary": {
            "sw": "Wakazi wataripoti pampu iliyoharibika kwa SMS au kwa simu ya bure, na ripoti "
            "itamfikia fundi wa maji wa kaunti pamoja na kamati ya maji ya kijiji. Kila ripoti "
            "itafuatiliwa hadi pampu itakapotengenezwa.",
            "en": "Residents will report a broken pump by SMS or a free call, and the report "
            "will reach the county water technician and the village water committee. Every "
            "report will be followed up until the pump is repaired.",
            "fr": "Les habitants signaleront une pompe en panne par SMS ou par un appel gratuit, "
            "et le signalement parviendra au technicien de l'eau du comté comme au comité de "
            "l'eau du village. Chaque signalement sera suivi jusqu'à la réparation.",
            "es": "Los vecinos avisarán de una bomba averiada por SMS o con una llamada "
            "gratuita, y el aviso llegará al técnico de agua del condado y al comité de agua de "
            "la aldea. Cada aviso se seguirá hasta que la bomba esté reparada.",
        },
        "lead": "tunza",
        "partners": [
            ("kilifi-county", OrganisationRole.ACCOUNTABLE),
            ("mawingu", OrganisationRole.IMPLEMENTING),
        ],
        "countries": ["KE"],
        "sectors": ["14031", "22040"],
        "status": ActivityStatus.PIPELINE,
        "visibility": Visibility.PUBLIC,
        "start": 60,
    },
    {
        "key": "open-budget",
        "written_in": "en",
        "title": {
            "en": "Open budget tracking for county wards",
            "fr": "Suivi budgétaire ouvert pour les circonscriptions du comté",
            "es": "Seguimiento abierto del presupuesto de los distritos del condado",
            "sw": "Ufuatiliaji wa wazi wa bajeti za wadi za kaunti",
        },
        "problem": {
            "en": "Residents cannot see how ward development funds are spent, and "
            "citizens' complaints go unanswered.",
            "fr": "Les habitants ne peuvent pas voir comment sont dépensés les fonds de "
            "développement de leur circonscription, et leurs plaintes restent sans réponse.",
            "es": "Los vecinos no pueden ver cómo se gastan los fondos de desarrollo de su "
            "distrito, y las quejas ciudadanas quedan sin respuesta.",
            "sw": "Wakazi hawawezi kuona jinsi fedha za maendeleo za wadi zinavyotumika, na "
            "malalamiko ya wananchi hayajibiwi.",
        },
        "summary": {
            "en": "Each ward's budget and projects are published on the county website and "
            "read out on local radio, and residents can question any line by SMS. The county "
            "must answer publicly within thirty days.",
            "fr": "Le budget et les projets de chaque circonscription sont publiés sur le site du "
            "comté et lus à la radio locale, et les habitants peuvent interroger n'importe "
            "quelle ligne par SMS. Le comté doit répondre publiquement sous trente jours.",
            "es": "El presupuesto y los proyectos de cada distrito se publican en la web del "
            "condado y se leen en la radio local, y los vecinos pueden preguntar por cualquier "
            "partida por SMS. El condado debe responder públicamente en un plazo de treinta "
            "días.",
            "sw": "Bajeti na miradi ya kila wadi huchapishwa kwenye tovuti ya kaunti na kusomwa "
            "kwenye redio ya eneo hilo, na wakazi wanaweza kuuliza kuhusu kipengele chochote "
            "kwa SMS. Kaunti lazima ijibu hadharani ndani ya siku thelathini.",
        },
        "lead": "kilifi-county",
        "partners": [
            ("tunza", OrganisationRole.IMPLEMENTING),
            ("undp-like", OrganisationRole.FUNDING),
        ],
        "countries": ["KE"],
        "sectors": ["15112", "15150"],
        "status": ActivityStatus.IMPLEMENTATION,
        "visibility": Visibility.PRIVATE,
        "start": -200,
    },
    {
        "key": "coding-clubs",
        "written_in": "en",
        "title": {
            "en": "Youth coding clubs in refugee settlements",
            "fr": "Clubs de programmation pour les jeunes des camps de réfugiés",
            "es": "Clubes de programación para jóvenes en asentamientos de refugiados",
            "sw": "Vilabu vya vijana vya kuandika programu katika makazi ya wakimbizi",
        },
        "problem": {
            "en": "Young people in settlements have phones but no path to digital work.",
            "fr": "Les jeunes des camps ont des téléphones, mais aucune voie vers un emploi dans "
            "le numérique.",
            "es": "Los jóvenes de los asentamientos tienen teléfono, pero ningún camino hacia "
            "el trabajo digital.",
            "sw": "Vijana katika makazi ya wakimbizi wana simu, lakini hawana njia ya kupata "
            "kazi za kidijitali.",
        },
        "summary": {
            "en": "After-school clubs in settlements in Rwanda and Uganda will teach young "
            "people to build websites and mobile apps, mentored by local developers. The best "
            "projects will be offered paid work with partner companies.",
            "fr": "Des clubs après l'école, dans des camps du Rwanda et de l'Ouganda, "
            "apprendront aux jeunes à créer des sites web et des applications mobiles, encadrés "
            "par des développeurs locaux. Les meilleurs projets se verront proposer des "
            "missions rémunérées dans des entreprises partenaires.",
            "es": "Clubes extraescolares en asentamientos de Ruanda y Uganda enseñarán a los "
            "jóvenes a crear sitios web y aplicaciones móviles, con la mentoría de programadores "
            "locales. A los mejores proyectos se les ofrecerá trabajo remunerado en empresas "
            "aliadas.",
            "sw": "Vilabu vya baada ya masomo katika makazi ya wakimbizi nchini Rwanda na Uganda "
            "vitawafundisha vijana kutengeneza tovuti na programu za simu, wakiongozwa na "
            "watengenezaji programu wa ndani. Miradi bora itapewa kazi za malipo katika kampuni "
            "washirika.",
        },
        "lead": "open-learning",
        "partners": [("strathmore", OrganisationRole.IMPLEMENTING)],
        "countries": ["RW", "UG"],
        "sectors": ["11330", "22040"],
        "status": ActivityStatus.PIPELINE,
        "visibility": Visibility.DRAFT,
        "start": 120,
    },
]

USERS = [
    # key, email, name, organisation key, member role, what the login shows
    (
        "lead",
        "lead@demo.harambee.org",
        "Amina Otieno",
        "tunza",
        MemberRole.ADMIN,
        "partnership lead (Tunza)",
    ),
    (
        "staff",
        "staff@demo.harambee.org",
        "Joseph Mwangi",
        "mawingu",
        MemberRole.STAFF,
        "partner staff (Mawingu)",
    ),
    (
        "funder",
        "funder@demo.harambee.org",
        "Grace Adeyemi",
        "seed-fund",
        MemberRole.STAFF,
        "donor (Seedling Foundation)",
    ),
    (
        "panel",
        "panel@demo.harambee.org",
        "Dr. Lucía Quispe",
        "strathmore",
        MemberRole.STAFF,
        "review panel member (academia)",
    ),
    (
        "outsider",
        "outsider@demo.harambee.org",
        "Sam Outsider",
        None,
        None,
        "signed-in user with no organisation",
    ),
]

MILESTONES = [
    # months after the start, title, what was done (once achieved), what is planned (before)
    (
        1,
        {
            "en": "Community meetings on needs",
            "fr": "Réunions communautaires sur les besoins",
            "es": "Asambleas comunitarias sobre las necesidades",
            "sw": "Mikutano ya jamii kuhusu mahitaji",
        },
        {
            "en": "Held with the community; the needs it ranked shaped the plan that every "
            "partner signed.",
            "fr": "Tenues avec la communauté ; les besoins qu'elle a classés ont orienté le plan "
            "signé par tous les partenaires.",
            "es": "Se realizaron con la comunidad; las necesidades que priorizó orientaron el "
            "plan que firmaron todos los socios.",
            "sw": "Ilifanyika pamoja na jamii; mahitaji iliyoyapa kipaumbele yaliongoza mpango "
            "uliotiwa saini na washirika wote.",
        },
        {
            "en": "The community will rank its needs before any work begins.",
            "fr": "La communauté classera ses besoins avant le début des travaux.",
            "es": "La comunidad priorizará sus necesidades antes de que empiece el trabajo.",
            "sw": "Jamii itapanga mahitaji yake kwa kipaumbele kabla kazi yoyote haijaanza.",
        },
    ),
    (
        6,
        {
            "en": "Pilot in the first villages",
            "fr": "Phase pilote dans les premiers villages",
            "es": "Piloto en las primeras comunidades",
            "sw": "Majaribio katika vijiji vya kwanza",
        },
        {
            "en": "The service ran in the first villages; the changes its users asked for went "
            "into the next version.",
            "fr": "Le service a fonctionné dans les premiers villages ; les changements demandés "
            "par les usagers ont été intégrés à la version suivante.",
            "es": "El servicio funcionó en las primeras comunidades; los cambios que pidieron los "
            "usuarios se incorporaron a la versión siguiente.",
            "sw": "Huduma ilianza kutumika katika vijiji vya kwanza; mabadiliko yaliyoombwa na "
            "watumiaji yaliingizwa katika toleo lililofuata.",
        },
        {
            "en": "The service will be tried in the first villages before it is offered more "
            "widely.",
            "fr": "Le service sera testé dans les premiers villages avant d'être étendu.",
            "es": "El servicio se probará en las primeras comunidades antes de ampliarse.",
            "sw": "Huduma itajaribiwa katika vijiji vya kwanza kabla ya kutolewa kwa upana zaidi.",
        },
    ),
    (
        18,
        {
            "en": "Independent review panel visit",
            "fr": "Visite du comité d'évaluation indépendant",
            "es": "Visita del panel de evaluación independiente",
            "sw": "Ziara ya jopo huru la tathmini",
        },
        {
            "en": "The panel met users and partners; its report was shared with the community.",
            "fr": "Le comité a rencontré les usagers et les partenaires ; son rapport a été "
            "remis à la communauté.",
            "es": "El panel se reunió con usuarios y socios; su informe se compartió con la "
            "comunidad.",
            "sw": "Jopo lilikutana na watumiaji na washirika; ripoti yake iliwasilishwa kwa jamii.",
        },
        {
            "en": "An independent panel will meet users and partners and report to the community.",
            "fr": "Un comité indépendant rencontrera usagers et partenaires et rendra compte à "
            "la communauté.",
            "es": "Un panel independiente se reunirá con usuarios y socios e informará a la "
            "comunidad.",
            "sw": "Jopo huru litakutana na watumiaji na washirika na kutoa ripoti kwa jamii.",
        },
    ),
]
PLANNED_DAYS = 1095  # every demo partnership is planned for three years
LANGUAGES = ("en", "fr", "es", "sw")  # every hand-written text is in all four
NOT_REACHED = "Not reached: the partnership was cancelled before this date."
NOT_REACHED_TEXTS = {
    "en": NOT_REACHED,
    "fr": "Non atteint : le partenariat a été annulé avant cette date.",
    "es": "No alcanzado: la alianza se canceló antes de esta fecha.",
    "sw": "Haikufikiwa: ubia ulisitishwa kabla ya tarehe hii.",
}


def in_four_languages(field: str, texts: dict[str, str]) -> dict[str, str]:
    """Keyword fields for a create service: ``field`` and each language's column of it
    (``title``, ``title_en``, ``title_fr``, ...). ``field`` itself gets the English text,
    whatever language is active and whichever the original is, so the default language's
    column, the untranslated field and the slug made from it stay English."""
    if set(texts) != set(LANGUAGES):
        raise ValueError(f"{field}: texts in {sorted(texts)}, not in {sorted(LANGUAGES)}.")
    return {field: texts["en"], **{f"{field}_{code}": texts[code] for code in LANGUAGES}}


def build(world: World) -> None:
    """The hand-written world, or ``world.scale`` generated partnerships."""
    if world.scale:
        build_scale(world, world.scale)
    else:
        build_demo_world(world)


# --- the hand-written world ------------------------------------------------------------------


def build_demo_world(world: World) -> None:
    """The platform admin, a login per role, thirteen organisations and eight partnerships
    (every status, visibility and organisation type), made through the real services."""
    world.admin = _user(ADMIN_EMAIL, "Platform Admin", is_staff=True, is_superuser=True)
    for spec in ORGANISATIONS:
        world.organisations[spec[0]] = _organisation(world.admin, *spec)
    for key, email, name, org_key, role, _label in USERS:
        world.users[key] = _user(email, name)
        if org_key:
            services.organisation_member_add(
                organisation=world.organisations[org_key], user=world.users[key], role=role
            )
    for number, spec in enumerate(PARTNERSHIPS, start=1):
        world.partnerships[spec["key"]] = _partnership(world, spec, number)
        world.leads[spec["key"]] = spec["lead"]


def _user(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _organisation(admin, key, name, acronym, org_type, country, iati_identifier) -> Organisation:
    written_in, description = ORGANISATION_TEXTS[key]
    organisation = services.organisation_create(
        by=admin,
        name=name,
        acronym=acronym,
        type=org_type,
        country=country,
        iati_identifier=iati_identifier,
        source_language=written_in,
        **in_four_languages("description", description),
    )
    # The platform admin made it but does not work there; its demo staff are added next.
    organisation.members.filter(user=admin).delete()
    return organisation


def _partnership(world: World, spec: dict, number: int) -> Partnership:
    begin = world.today + timedelta(days=spec["start"])
    lead = world.organisations[spec["lead"]]
    stopped = _stopped_on(spec, begin)
    partnership = services.partnership_create(
        # Created by a member of the lead where the demo has one, else by the admin.
        by=world.users["lead"] if spec["lead"] == "tunza" else world.admin,
        lead_organisation=lead,
        source_language=spec["written_in"],
        **in_four_languages("title", spec["title"]),
        **in_four_languages("problem", spec["problem"]),
        **in_four_languages("summary", spec["summary"]),
        sectors=Sector.objects.filter(code__in=spec["sectors"]),
        recipient_countries=spec["countries"],
        status=spec["status"],
        visibility=spec["visibility"],
        planned_start=begin,
        planned_end=begin + timedelta(days=PLANNED_DAYS),
        actual_start=begin if begin <= world.today else None,
        actual_end=stopped,
        iati_identifier=f"{lead.iati_identifier}-{spec['key'].upper()}",
    )
    lead_partner = partnership.partners.get()
    _contributions(lead_partner, spec, spec["lead"], cash=Decimal(5000 * number))
    for i, (key, role) in enumerate(spec["partners"]):
        partner = _partner(world, partnership, spec, key, role, begin + timedelta(days=30 * i))
        _contributions(partner, spec, key, cash=Decimal(20000 * (i + 1)))
    _milestones(world, partnership, begin, stopped)
    return partnership


def _stopped_on(spec: dict, begin: date) -> date | None:
    """When a closed or cancelled partnership actually ended."""
    if spec["status"] == ActivityStatus.CLOSED:
        return begin + timedelta(days=PLANNED_DAYS)
    if spec["status"] == ActivityStatus.CANCELLED:
        return begin + timedelta(days=spec["cancelled_after"])
    return None


def _partner(world, partnership, spec, key, role, joined_on: date) -> Partner:
    left_after = spec.get("left", {}).get(key)
    return services.partner_add(
        partnership=partnership,
        organisation=world.organisations[key],
        role=role,
        # Partners of a partnership that has not started joined when they signed up (today).
        joined_on=min(joined_on, world.today),
        left_on=partnership.actual_start + timedelta(days=left_after) if left_after else None,
        responsibilities="Delivers the service in the field."
        if role == OrganisationRole.IMPLEMENTING
        else "",
    )


def _contributions(partner: Partner, spec: dict, key: str, *, cash: Decimal) -> None:
    """Cash is delivered once the partnership has started (unless defaulted), pledged
    before; staff time is delivered when the partnership has closed, pledged while it runs."""
    if key in spec.get("defaulted", ()):
        status = ContributionStatus.DEFAULTED
    elif spec["start"] < 0:
        status = ContributionStatus.DELIVERED
    else:
        status = ContributionStatus.PLEDGED
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.CASH,
        amount=cash,
        currency="USD",
        status=status,
        date=partner.joined_on if status == ContributionStatus.DELIVERED else None,
    )
    closed = spec["status"] == ActivityStatus.CLOSED
    services.contribution_create(
        partner=partner,
        kind=ContributionKind.EXPERTISE,
        amount=cash / 4,
        currency="KES" if partner.organisation.country == "KE" else "USD",
        description="Staff time",
        status=ContributionStatus.DELIVERED if closed else ContributionStatus.PLEDGED,
    )


def _milestones(world: World, partnership: Partnership, begin: date, stopped: date | None):
    """The three milestones, in the partnership's language and translated: what was done
    once achieved, what is planned before, and why not where a cancellation stopped it."""
    for months, title, done, planned in MILESTONES:
        when = begin + timedelta(days=30 * months)
        achieved = milestone_state(when, world.today, partnership.status, stopped)[0]
        not_reached = partnership.status == ActivityStatus.CANCELLED and stopped and when > stopped
        description = NOT_REACHED_TEXTS if not_reached else done if achieved else planned
        services.milestone_create(
            partnership=partnership,
            date=when,
            achieved=achieved,
            source_language=partnership.source_language,
            **in_four_languages("title", title),
            **in_four_languages("description", description),
        )


def milestone_state(when: date, today: date, status: int, stopped: date | None) -> tuple[bool, str]:
    """(achieved, description) of a demo milestone: reached when its date has passed,
    unless a cancelled partnership stopped before it, which the description says."""
    if status == ActivityStatus.CANCELLED and stopped and when > stopped:
        return False, NOT_REACHED if when <= today else ""
    return when <= today, ""


# --- benchmark scale -------------------------------------------------------------------------

SCALE_COUNTRIES = ["KE", "UG", "TZ", "RW", "SN", "GH", "PE", "CO", "IN", "BD", "NP", "MZ"]
SCALE_ROLES = [
    OrganisationRole.ACCOUNTABLE,
    OrganisationRole.FUNDING,
    OrganisationRole.IMPLEMENTING,
]
# How many days ago a generated partnership in each status started (negative: it starts
# in the future), so that closed ones ended before today and pipeline ones have not begun.
SCALE_STARTED_DAYS_AGO = {
    ActivityStatus.PIPELINE: (-365, -30),
    ActivityStatus.IMPLEMENTATION: (60, 900),
    ActivityStatus.FINALISATION: (900, 1080),
    ActivityStatus.CLOSED: (1200, 1800),
    ActivityStatus.CANCELLED: (120, 900),
    ActivityStatus.SUSPENDED: (120, 900),
}


def build_scale(world: World, n: int) -> None:
    """N partnerships with proportional organisations, partners, contributions and
    milestones, in a fixed number of set-based inserts (whatever N is)."""
    organisations = _scale_organisations(world, max(10, n // 2))
    first = Partnership.objects.count()
    cast = [world.random.sample(organisations, len(SCALE_ROLES)) for _ in range(n)]
    rows = [_scale_partnership(world, first + i, orgs[0]) for i, orgs in enumerate(cast)]
    # The first of each run is public, so the apps after this one always have one to use.
    rows[0]["visibility"] = Visibility.PUBLIC
    partnerships = insert_returning_objects(Partnership, rows)
    for partnership, orgs in zip(partnerships, cast, strict=True):
        world.partnerships[partnership.slug] = partnership
        world.leads[partnership.slug] = orgs[0].slug
    _scale_sectors(world, partnerships)
    partner_ids = _scale_partners(world, partnerships, cast)
    _scale_contributions(world, partnerships, partner_ids)
    bulk_insert(Milestone, [row for p in partnerships for row in _scale_milestones(world, p)])


def _scale_organisations(world: World, count: int) -> list[Organisation]:
    first = Organisation.objects.count()
    rows = [
        {
            "slug": f"bench-org-{first + i}",
            "name": f"Benchmark Organisation {first + i}",
            "type": world.random.choice(OrganisationType.values),
            "country": world.random.choice(SCALE_COUNTRIES),
            "iati_identifier": f"XI-IATI-BENCH{first + i}",
            **translated(description="Generated for benchmarks."),
        }
        for i in range(count)
    ]
    organisations = insert_returning_objects(Organisation, rows)
    world.organisations.update((o.slug, o) for o in organisations)
    return organisations


def _scale_partnership(world: World, number: int, lead: Organisation) -> dict:
    status = world.random.choice(ActivityStatus.values)
    low, high = SCALE_STARTED_DAYS_AGO[status]
    start = world.today - timedelta(days=world.random.randint(low, high))
    planned_end = start + timedelta(days=PLANNED_DAYS)
    ended = {
        ActivityStatus.CLOSED: planned_end,
        ActivityStatus.CANCELLED: start + timedelta(days=(world.today - start).days // 2),
    }.get(status)
    return {
        "slug": f"bench-{number}",
        **translated(
            title=f"Benchmark partnership {number}",
            problem="A problem named by the community.",
            summary="Generated for benchmarks.",
        ),
        "status": status,
        "visibility": world.random.choice(Visibility.values),
        "recipient_countries": world.random.sample(SCALE_COUNTRIES, 2),
        "planned_start": start,
        "planned_end": planned_end,
        "actual_start": start if start <= world.today else None,
        "actual_end": ended,
        "iati_identifier": f"{lead.iati_identifier}-P{number}",
        "created_by": None,
    }


def _scale_sectors(world: World, partnerships: list[Partnership]) -> None:
    sectors = list(Sector.objects.values_list("code", flat=True))
    rows = [
        {"partnership_id": p.pk, "sector_id": code}
        for p in partnerships
        for code in world.random.sample(sectors, 2)
    ]
    bulk_insert(Partnership.sectors.through, rows)


def _scale_partners(world, partnerships, cast) -> list[int]:
    rows = [
        {
            "partnership_id": p.pk,
            "organisation_id": org.pk,
            "role": role,
            "is_lead": k == 0,
            "joined_on": min(p.planned_start, world.today),
            "left_on": None,
            "responsibilities": "",
        }
        for p, orgs in zip(partnerships, cast, strict=True)
        for k, (org, role) in enumerate(zip(orgs, SCALE_ROLES, strict=True))
    ]
    return insert_returning_ids(Partner, rows)


def _scale_contributions(world, partnerships, partner_ids: list[int]) -> None:
    per_partnership = len(SCALE_ROLES)
    rows = [
        {
            "partner_id": partner_id,
            "kind": ContributionKind.CASH,
            "description": "",
            "amount": Decimal(world.random.randint(1, 500) * 100),
            "currency": "USD",
            "status": _scale_contribution_status(world, partnerships[i // per_partnership]),
            "date": None,
        }
        for i, partner_id in enumerate(partner_ids)
        for _ in range(2)
    ]
    bulk_insert(Contribution, rows)


def _scale_contribution_status(world: World, partnership: Partnership) -> str:
    """Nothing is delivered or defaulted before a partnership starts, and nothing is still
    only pledged once it has closed."""
    if partnership.actual_start is None:
        return ContributionStatus.PLEDGED
    if partnership.status == ActivityStatus.CLOSED:
        return world.random.choice([ContributionStatus.DELIVERED, ContributionStatus.DEFAULTED])
    return world.random.choice(ContributionStatus.values)


def _scale_milestones(world: World, partnership: Partnership) -> list[dict]:
    rows = []
    for m in range(1, 4):
        when = partnership.planned_start + timedelta(days=90 * m)
        achieved, description = milestone_state(
            when, world.today, partnership.status, partnership.actual_end
        )
        rows.append(
            {
                "partnership_id": partnership.pk,
                **translated(title=f"Milestone {m}", description=description),
                "date": when,
                "achieved": achieved,
            }
        )
    return rows
