"""Spanish demo content: the guide, its articles and the glossary of content.py.

Written for the demo in plain, neutral Latin-American Spanish (usted, short
sentences, every medical word explained), not translated by machine. Each
Spanish article and glossary term names its original in "translation_of" (the
English slug; a glossary term's English slug is slugify(term), as load_demo
makes it).

Articles have the same keys as the English ones, so one loader reads both.
Kept identical to the English entry, because they are not language-specific:
hero["illustration"] (the same drawing, stored again with the Spanish alt
text), each fact's "key" (facts pair up by key, in the same order) and
"source", and "references" (the English articles cite none).

PRACTICE and DOCTOR (and PRACTICE_2 and DOCTOR_2, the second example
practice) hold only the text patients read; take everything else (name, slug,
credentials, website, booking link, address, phone) from the English entry.
Locations are in the same order as the English ones.
"""

GUIDE = {
    "translation_of": "spinal-fractures-and-kyphoplasty",
    "title": "Guía para pacientes sobre fracturas de columna y cifoplastia",
    "slug": "fracturas-de-columna-y-cifoplastia",
    "summary": (
        "Una guía sencilla sobre los huesos rotos de la espalda. Sepa qué es "
        "una fractura de columna, cómo puede ayudar la cifoplastia y cómo "
        "cuidarse después."
    ),
    "introduction": (
        "<p>El dolor de espalda por un hueso roto en la columna puede dar "
        "miedo. Mucha gente pasa por esto, y hay ayuda. Esta guía usa palabras "
        "sencillas. Le explica qué le pasa y qué opciones tiene.</p>"
        "<p>Léala con calma, a su ritmo. Puede leer una parte a la vez. Anote "
        "sus preguntas y llévelas a su próxima cita.</p>"
    ),
}

ARTICLES = [
    {
        "translation_of": "understanding-spinal-compression-fractures",
        "slug": "fracturas-por-compresion-de-la-columna",
        "title": "Qué son las fracturas por compresión de la columna",
        "subtitle": "Lo que pasa cuando se rompe un hueso de la espalda",
        "teaser": (
            "Sepa qué es una fractura por compresión, por qué pasa, cómo se "
            "siente y cómo la encuentran y la tratan los médicos."
        ),
        "introduction": (
            "<p>La columna es la fila de huesos que baja por el centro de la "
            "espalda. Cada uno de estos huesos pequeños se llama "
            "<strong>vértebra</strong>. Cuando hay más de uno, decimos "
            "<strong>vértebras</strong>.</p>"
            "<p>Una <strong>fractura por compresión</strong> quiere decir que "
            "uno de estos huesos se rompió y se aplastó. Los médicos también "
            "la llaman fractura vertebral o aplastamiento vertebral. Casi "
            "siempre, la parte de "
            "adelante del hueso se hunde más que la de atrás. Así el hueso "
            "queda con forma de cuña, como una rebanada de pastel.</p>"
        ),
        "hero": {
            "illustration": "fracture",
            "alt": (
                "Dibujo de una fila de huesos de la columna, vistos de lado. "
                "Un hueso del medio está más aplastado adelante, por eso "
                "parece una cuña."
            ),
            "caption": "Una fractura por compresión deja el hueso más plano adelante.",
        },
        "steps_heading": "Qué pasa en su primera consulta",
        "steps": [
            (
                "Hablar de su dolor",
                (
                    "<p>Su médico le preguntará cuándo empezó el dolor y qué lo "
                    "mejora o lo empeora. Cuéntele si tuvo alguna caída, aunque "
                    "sea pequeña. Lleve una lista de todas las medicinas que "
                    "toma.</p>"
                ),
            ),
            (
                "Revisar su espalda",
                (
                    "<p>El médico le tocará la espalda con suavidad y verá cómo "
                    "se mueve. También revisará la fuerza de sus piernas y si "
                    "las siente bien.</p>"
                ),
            ),
            (
                "Tomar imágenes de la columna",
                (
                    "<p>Lo más probable es que le hagan una radiografía. Tal vez "
                    "también necesite una resonancia magnética o una "
                    "tomografía. Estos estudios muestran más detalles. Pueden "
                    "decir si la fractura es nueva o vieja.</p>"
                ),
            ),
            (
                "Medir la fuerza de sus huesos",
                (
                    "<p>Una <strong>prueba de densidad ósea</strong> muestra si "
                    "sus huesos se han vuelto delgados. Es rápida y no duele. "
                    "Usted se acuesta en una mesa sin moverse, mientras una "
                    "máquina pasa por encima.</p>"
                ),
            ),
            (
                "Hacer un plan juntos",
                (
                    "<p>Su médico le explicará lo que encontró. Luego, entre "
                    "los dos, elegirán un plan que le convenga. Haga todas las "
                    "preguntas que quiera.</p>"
                ),
            ),
        ],
        "closing": (
            "<h3>Por qué pasan estas fracturas</h3>"
            "<p>La causa más común es la <strong>osteoporosis</strong>. Quiere "
            "decir que los huesos se han vuelto delgados y débiles. Un hueso "
            "débil se puede romper por algo pequeño. Puede pasar al agacharse, "
            "al levantar una bolsa, al toser fuerte o en una caída leve. "
            "Algunas personas no saben qué causó la fractura.</p>"
            "<p>Un golpe fuerte también puede romper un hueso sano. Por "
            "ejemplo, una mala caída o un choque de auto. Con menos "
            "frecuencia, un tumor o un cáncer en la columna debilita el "
            "hueso.</p>"
            "<h3>Cómo se puede sentir</h3>"
            "<ul>"
            "<li>Dolor de espalda que empieza de repente</li>"
            "<li>Dolor que empeora al estar de pie o al caminar</li>"
            "<li>Dolor que mejora al acostarse</li>"
            "<li>Perder estatura con el tiempo</li>"
            "<li>La espalda curva o encorvada</li>"
            "</ul>"
            "<p>Algunas personas no sienten ningún dolor. La fractura se "
            "descubre por casualidad en una radiografía.</p>"
            "<h3>Cómo se trata</h3>"
            "<p>Muchas de estas fracturas sanan solas en unas semanas o unos "
            "meses. Su médico le puede recomendar:</p>"
            "<ul>"
            "<li>Descansar un poco, pero sin quedarse mucho tiempo en cama</li>"
            "<li>Medicina para el dolor</li>"
            "<li>Un corsé o faja firme para sostener la espalda</li>"
            "<li>Ejercicio suave con un experto, llamado fisioterapia o "
            "terapia física</li>"
            "<li>Medicina para que sus huesos sean más fuertes</li>"
            "</ul>"
            "<p>A veces el dolor no mejora. Entonces puede ayudar un "
            "procedimiento pequeño. Uno se llama "
            "<strong>vertebroplastia</strong>. Otro se llama "
            "<strong>cifoplastia</strong>. En los dos, el médico pone un "
            "cemento especial dentro del hueso roto para que quede firme. "
            "Puede leer sobre la cifoplastia en la siguiente parte de esta "
            "guía.</p>"
        ),
        "facts": [
            {
                "key": "common_cause",
                "label": "Causa más común",
                "value": "Huesos delgados y débiles (osteoporosis)",
                "source": "",
            },
            {
                "key": "main_symptom",
                "label": "Señal principal",
                "value": "Dolor de espalda repentino que se calma al acostarse",
                "source": "",
            },
            {
                "key": "diagnosis",
                "label": "Cómo se encuentra",
                "value": (
                    "Con una radiografía y, a veces, con una resonancia "
                    "magnética o una tomografía"
                ),
                "source": "",
            },
            {
                "key": "bone_test",
                "label": "Revisión de los huesos",
                "value": "Una prueba rápida de densidad ósea, que no duele",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>Llame a su médico o pida ayuda de inmediato si tiene alguno de "
            "estos problemas:</p>"
            "<ul>"
            "<li>Dolor de espalda que empeora mucho de repente</li>"
            "<li>Piernas débiles, o piernas que se le doblan</li>"
            "<li>Adormecimiento u hormigueo en las piernas o los pies</li>"
            "<li>Problemas para aguantar o para soltar la orina o las "
            "heces</li>"
            "<li>Fiebre junto con dolor de espalda</li>"
            "</ul>"
            "<p>Si no puede hablar con su médico, llame al 911 o vaya a la sala "
            "de emergencias más cercana.</p>"
        ),
        "references": [],
    },
    {
        "translation_of": "how-balloon-kyphoplasty-works",
        "slug": "como-funciona-la-cifoplastia-con-balon",
        "title": "Cómo funciona la cifoplastia con balón",
        "subtitle": "Paso a paso",
        "teaser": (
            "Vea qué pasa durante la cifoplastia, desde el pequeño corte del "
            "comienzo hasta el cemento que deja firme su hueso."
        ),
        "introduction": (
            "<p>La <strong>cifoplastia</strong> es un tratamiento para un hueso "
            "de la columna que se aplastó por una fractura. Se hace por un "
            "corte muy pequeño en la piel. No se abre la espalda. Por eso los "
            "médicos dicen que es <strong>mínimamente invasiva</strong>.</p>"
            "<p>Se parece mucho a otro tratamiento llamado vertebroplastia. La "
            "diferencia principal es un globo pequeño, que los médicos llaman "
            "balón. El globo levanta el hueso aplastado y lo acerca a su "
            "altura normal. Después, el médico llena el espacio con "
            "cemento.</p>"
        ),
        "hero": {
            "illustration": "balloon",
            "alt": (
                "Dibujo de un hueso de la columna, visto de lado. Un tubo "
                "delgado entra en el hueso. En la punta del tubo, un globo "
                "pequeño está inflado dentro del hueso."
            ),
            "caption": "Un globo pequeño levanta con cuidado el hueso roto.",
        },
        "steps_heading": "Cómo se hace, paso a paso",
        "steps": [
            (
                "Abrir un camino hasta el hueso",
                (
                    "<p>El médico hace un corte pequeño en la piel de su "
                    "espalda. Por ahí mete un tubo delgado, hueco por dentro, "
                    "hasta el hueso roto. Unas imágenes de rayos X le ayudan a "
                    "llevarlo al lugar exacto. Luego pasa un globo muy pequeño "
                    "por el tubo.</p>"
                ),
            ),
            (
                "Inflar el globo",
                (
                    "<p>El médico infla el globo despacio y con cuidado. Al "
                    "crecer, el globo empuja hacia arriba el hueso aplastado. "
                    "Así el hueso puede recuperar parte de la altura que "
                    "perdió.</p>"
                ),
            ),
            (
                "Sacar el globo",
                (
                    "<p>Después, el médico desinfla el globo y lo saca. Queda "
                    "un espacio vacío dentro del hueso. Ese espacio está listo "
                    "para llenarse.</p>"
                ),
            ),
            (
                "Llenar el espacio con cemento",
                (
                    "<p>El médico llena el espacio con un cemento especial para "
                    "huesos. Está hecho para usarse dentro del cuerpo. Al "
                    "principio es espeso, como la pasta de dientes. El cemento "
                    "evita que el hueso se vuelva a hundir.</p>"
                ),
            ),
            (
                "Dejar que el cemento se endurezca",
                (
                    "<p>El cemento se pone duro en pocos minutos. Funciona como "
                    "un yeso por dentro del hueso. Lo mantiene firme y estable. "
                    "A veces el médico hace estos pasos por los dos lados del "
                    "hueso.</p>"
                ),
            ),
        ],
        "closing": (
            "<p>Cuando el cemento está duro, el médico saca el tubo. El corte "
            "se cierra con un punto, una cinta o un pegamento para la piel. "
            "Luego se cubre con una venda. Por lo general no hacen falta "
            "puntos grandes. De principio a fin, el tratamiento dura "
            "{{ fact:duration }}.</p>"
            "<p>Después, usted descansará en una sala de recuperación. El "
            "personal de enfermería estará pendiente de usted un rato. Le "
            "preguntarán cómo se siente y le ayudarán a ponerse de pie por "
            "primera vez. Su equipo médico le dirá cuándo puede irse "
            "({{ fact:hospital_stay }}).</p>"
        ),
        # The closing reads duration and hospital_stay inside its sentences,
        # with the shared value or a practice's own: hence the lower case.
        "facts": [
            {
                "key": "duration",
                "label": "Cuánto dura",
                "value": "más o menos media hora por cada hueso tratado",
                "source": "",
            },
            {
                "key": "hospital_stay",
                "label": "Tiempo en el hospital",
                "value": "la mayoría de las personas se va a casa en un día o menos",
                "source": "",
            },
            {
                "key": "anaesthesia",
                "label": "Para que no sienta dolor",
                "value": (
                    "Su equipo médico decidirá. Puede recibir medicina para "
                    "adormecer la zona y medicina para relajarse. O puede "
                    "recibir anestesia para dormir por completo."
                ),
                "source": "",
            },
            {
                "key": "cut_size",
                "label": "Tamaño del corte",
                "value": "Más o menos del ancho de la punta de un dedo",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>Cuando ya esté en casa, llame a su médico de inmediato si "
            "tiene:</p>"
            "<ul>"
            "<li>Fiebre o escalofríos</li>"
            "<li>Enrojecimiento, hinchazón o líquido que sale del corte</li>"
            "<li>Dolor de espalda mucho peor que antes</li>"
            "<li>Debilidad, adormecimiento u hormigueo nuevos en las "
            "piernas</li>"
            "<li>Problemas para controlar la orina o las heces</li>"
            "</ul>"
            "<p>Llame al 911 si tiene dolor en el pecho o le cuesta "
            "respirar.</p>"
        ),
        "references": [],
    },
    {
        "translation_of": "benefits-of-balloon-kyphoplasty",
        "slug": "beneficios-de-la-cifoplastia-con-balon",
        "title": "Beneficios de la cifoplastia con balón",
        "subtitle": "Cómo le puede ayudar, y cómo sanar bien después",
        "teaser": (
            "Sepa cómo le puede ayudar la cifoplastia, cuáles son los riesgos "
            "y qué hacer en casa mientras se recupera."
        ),
        "introduction": (
            "<p>La cifoplastia se hace por un corte muy pequeño. Esa es una "
            "buena noticia para su cuerpo. Esto es lo que puede significar "
            "para usted:</p>"
            "<ul>"
            "<li>El corte es del tamaño de la punta de un dedo.</li>"
            "<li>Se pierde muy poca sangre.</li>"
            "<li>La mayoría de las personas se va a casa el mismo día o al día "
            "siguiente.</li>"
            "<li>Muchas personas sienten menos dolor pronto, a menudo en uno o "
            "dos días.</li>"
            "<li>Puede devolver al hueso parte de la altura que perdió.</li>"
            "<li>Puede ayudarle a tener la espalda más recta.</li>"
            "</ul>"
            "<p>La cifoplastia no ayuda a todas las personas de la misma "
            "manera. Su médico le puede decir qué puede esperar usted.</p>"
        ),
        "hero": {
            "illustration": "recovery",
            "alt": (
                "Dibujo de la columna, vista de lado. El hueso tratado volvió a "
                "su altura completa y está lleno de cemento con puntitos. Al "
                "lado, una figura sencilla camina erguida."
            ),
            "caption": "La mayoría de las personas puede levantarse y caminar poco después.",
        },
        "steps_heading": "Cómo cuidarse después del procedimiento",
        "steps": [
            (
                "Descanse el primer día",
                (
                    "<p>Tómelo con calma el primer día. No maneje: otra persona "
                    "debe llevarle a casa. Es bueno que un familiar o un amigo "
                    "se quede con usted esa noche.</p>"
                ),
            ),
            (
                "Cuide el corte",
                (
                    "<p>Mantenga la venda limpia y seca. Su equipo médico le "
                    "dirá cuándo puede ducharse. No se bañe en tina ni vaya a "
                    "nadar hasta que le digan que puede.</p>"
                ),
            ),
            (
                "Empiece a moverse poco a poco",
                (
                    "<p>Las caminatas cortas le hacen bien. Empiece despacio y "
                    "camine un poco más cada día. No levante cosas pesadas ni "
                    "tuerza la espalda hasta que su médico le diga que "
                    "puede.</p>"
                ),
            ),
            (
                "Tome sus medicinas como le indicaron",
                (
                    "<p>Es posible que le duela la espalda unos días, donde "
                    "entró el tubo. Tome la medicina para el dolor como le "
                    "indicaron. También puede ayudar una bolsa de hielo "
                    "envuelta en un paño sobre la zona que duele.</p>"
                ),
            ),
            (
                "Vaya a su cita de control",
                (
                    "<p>Su médico le dará otra cita. Ahí revisará cómo va "
                    "sanando. Es un buen momento para hacer las preguntas que "
                    "todavía tenga.</p>"
                ),
            ),
            (
                "Proteja sus huesos",
                (
                    "<p>Si tiene huesos débiles, trátelos para evitar nuevas "
                    "fracturas. Tome la medicina para los huesos que le "
                    "receten. Consuma suficiente calcio y vitamina D. Haga su "
                    "casa más segura para no caerse. Quite cosas del piso, ponga "
                    "buena luz y use barras para agarrarse.</p>"
                ),
            ),
        ],
        "closing": (
            "<h3>Los riesgos, en palabras sencillas</h3>"
            "<p>Todo tratamiento tiene algún riesgo. Los problemas con la "
            "cifoplastia no son comunes. Pero es bueno conocerlos:</p>"
            "<ul>"
            "<li>Un poco de cemento se puede salir del hueso. Casi siempre "
            "esto no causa daño.</li>"
            "<li>El corte se puede infectar.</li>"
            "<li>Puede haber algo de sangrado.</li>"
            "<li>Se puede lastimar un nervio, pero es raro.</li>"
            "<li>Otros huesos cerca del hueso tratado se pueden romper más "
            "adelante.</li>"
            "</ul>"
            "<p>Por ese último riesgo es tan importante tratar los huesos "
            "débiles. Un hueso fuerte tiene menos riesgo de volver a romperse. "
            "Hable con su médico sobre lo que es mejor para usted.</p>"
        ),
        "facts": [
            {
                "key": "recovery",
                "label": "Volver a su día normal",
                "value": (
                    "Muchas personas vuelven a hacer tareas diarias ligeras en "
                    "pocos días"
                ),
                "source": "",
            },
            {
                "key": "follow_up",
                "label": "Cita de control",
                "value": "Por lo general en unas semanas, para ver cómo va sanando",
                "source": "",
            },
            {
                "key": "pain_relief",
                "label": "Alivio del dolor",
                "value": "Muchas personas se sienten mejor en uno o dos días",
                "source": "",
            },
        ],
        "safety_notice": (
            "<p>Llame a su médico de inmediato si tiene:</p>"
            "<ul>"
            "<li>Fiebre, o un corte rojo, caliente, hinchado o que suelta "
            "líquido</li>"
            "<li>Dolor de espalda que empeora en vez de mejorar</li>"
            "<li>Debilidad, adormecimiento u hormigueo nuevos en las "
            "piernas</li>"
            "<li>Problemas para controlar la orina o las heces</li>"
            "<li>Un dolor de espalda nuevo y repentino en otro lugar</li>"
            "</ul>"
            "<p>Llame al 911 si tiene dolor en el pecho o le cuesta "
            "respirar.</p>"
        ),
        "references": [],
    },
]

PRACTICE = {
    "description": (
        "Example Spine Center es un ejemplo inventado para esta demostración. "
        "No es una clínica real, y aquí no puede pedir una cita de verdad. "
        "Muestra cómo se ve la página de una clínica en la guía."
    ),
    "locations": [
        {
            "name": "Clínica principal",
            "opening_hours": "De lunes a viernes, de 8 a. m. a 5 p. m.",
        }
    ],
}

DOCTOR = {
    "specialty": "Tratamiento intervencionista de la columna",
    "biography": (
        "El Dr. Jordan Example es un médico inventado. Este es un perfil de "
        "ejemplo para la demostración, no una persona real. Muestra cómo se ve "
        "la página de un médico en la guía."
    ),
}

PRACTICE_2 = {
    "description": (
        "Lakeside Spine Clinic es una clínica inventada para esta "
        "demostración. No es una clínica real, y aquí no puede pedir una "
        "cita. Muestra cómo una segunda clínica da a sus pacientes sus propios "
        "datos dentro de la guía compartida."
    ),
    "locations": [
        {
            "name": "Clínica del lago",
            "opening_hours": "De lunes a jueves, de 7 a. m. a 4 p. m.",
        }
    ],
}

DOCTOR_2 = {
    "specialty": "Cirugía de columna",
    "biography": (
        "El Dr. Riley Sample es un médico inventado, no una persona real. Este "
        "perfil de ejemplo es de Lakeside Spine Clinic. El Dr. Sample revisa "
        "los datos que la clínica da a sus propios pacientes."
    ),
}

# Explained in plain words, like the English glossary. "also_called" holds the
# plurals and other forms the Spanish articles use (names match whole words),
# and the spelling without accents that patients often type.
GLOSSARY = [
    {
        "translation_of": "anaesthesia",
        "term": "anestesia",
        "slug": "anestesia",
        "abbreviation": "",
        "also_called": "anestésico, anestésicos, anestesico",
        "definition": (
            "Medicina que evita que usted sienta dolor durante un tratamiento. "
            "Puede adormecer una parte del cuerpo, o hacer que usted duerma por "
            "completo."
        ),
    },
    {
        "translation_of": "bone-cement",
        "term": "cemento óseo",
        "slug": "cemento-oseo",
        "abbreviation": "",
        "also_called": "cemento, cemento oseo",
        "definition": (
            "Una pasta especial hecha para usarse dentro del cuerpo. El médico "
            "la pone dentro de un hueso roto. Se endurece en pocos minutos y "
            "mantiene firme el hueso."
        ),
    },
    {
        "translation_of": "bone-density-test",
        "term": "prueba de densidad ósea",
        "slug": "prueba-de-densidad-osea",
        "abbreviation": "",
        "also_called": "densitometría ósea, densitometría, DXA, prueba de densidad osea",
        "definition": (
            "Un estudio rápido que muestra qué tan fuertes están sus huesos. "
            "Usted se acuesta en una mesa sin moverse. No duele."
        ),
    },
    {
        "translation_of": "computed-tomography",
        "term": "tomografía computarizada",
        "slug": "tomografia-computarizada",
        "abbreviation": "TC",
        "also_called": "tomografía, TAC, tomografia computarizada, tomografia",
        "definition": (
            "Un estudio que usa rayos X y una computadora para tomar imágenes "
            "del interior del cuerpo, como si fueran rebanadas delgadas. "
            "Muestra los huesos con mucho detalle."
        ),
    },
    {
        "translation_of": "kyphoplasty",
        "term": "cifoplastia",
        "slug": "cifoplastia",
        "abbreviation": "",
        "also_called": "cifoplastia con balón, cifoplastía, cifoplastia con balon",
        "definition": (
            "Un tratamiento para un hueso roto de la columna. Un globo pequeño "
            "levanta el hueso. Después, el espacio se llena con cemento óseo."
        ),
    },
    {
        "translation_of": "magnetic-resonance-imaging",
        "term": "resonancia magnética",
        "slug": "resonancia-magnetica",
        "abbreviation": "RM",
        "also_called": "resonancia, IRM, resonancia magnetica",
        "definition": (
            "Un estudio que usa un imán muy fuerte para tomar imágenes del "
            "interior del cuerpo. Puede mostrar si la fractura de un hueso es "
            "nueva o vieja."
        ),
    },
    {
        "translation_of": "minimally-invasive",
        "term": "mínimamente invasivo",
        "slug": "minimamente-invasivo",
        "abbreviation": "",
        "also_called": "mínimamente invasiva, minimamente invasivo, minimamente invasiva",
        "definition": (
            "Que se hace por un corte muy pequeño en la piel, sin abrir el cuerpo."
        ),
    },
    {
        "translation_of": "osteoporosis",
        "term": "osteoporosis",
        "slug": "osteoporosis",
        "abbreviation": "",
        "also_called": "huesos débiles, huesos debiles",
        "definition": (
            "Una enfermedad que hace que los huesos se vuelvan delgados y "
            "débiles. Un hueso débil se puede romper con una caída leve, o "
            "hasta con la tos."
        ),
    },
    {
        "translation_of": "physical-therapy",
        "term": "fisioterapia",
        "slug": "fisioterapia",
        "abbreviation": "",
        "also_called": "terapia física, kinesiología, kinesioterapia, terapia fisica",
        "definition": (
            "Ejercicio suave guiado por un experto. Le ayuda a ganar fuerza y a "
            "moverse con más facilidad."
        ),
    },
    {
        "translation_of": "vertebra",
        "term": "vértebra",
        "slug": "vertebra",
        "abbreviation": "",
        "also_called": (
            "vértebras, hueso de la columna, huesos de la columna, vertebra, vertebras"
        ),
        "definition": (
            "Cada uno de los huesos pequeños que, uno sobre otro, forman la "
            "columna. Cuando hay más de uno, decimos vértebras."
        ),
    },
    {
        "translation_of": "vertebral-compression-fracture",
        "term": "fractura vertebral por compresión",
        "slug": "fractura-vertebral-por-compresion",
        "abbreviation": "",
        "also_called": (
            "fractura por compresión, fracturas por compresión, "
            "aplastamiento vertebral, fractura vertebral por compresion, "
            "fractura por compresion"
        ),
        "definition": (
            "Una fractura que aplasta un hueso de la columna. A menudo la parte "
            "de adelante del hueso se hunde más que la de atrás."
        ),
    },
    {
        "translation_of": "vertebroplasty",
        "term": "vertebroplastia",
        "slug": "vertebroplastia",
        "abbreviation": "",
        "also_called": "vertebroplastía",
        "definition": (
            "Un tratamiento para un hueso roto de la columna. Con una aguja "
            "delgada, el médico pone cemento óseo dentro del hueso para que "
            "quede firme. No se usa globo."
        ),
    },
    {
        "translation_of": "x-ray",
        "term": "radiografía",
        "slug": "radiografia",
        "abbreviation": "",
        "also_called": "radiografías, rayos X, radiografia",
        "definition": (
            "Una imagen rápida del interior del cuerpo, tomada con rayos X. "
            "Muestra los huesos y no duele."
        ),
    },
]
