"""Writes benchmarks/cards/written-corpus.jsonl: short news reports invented by newsloom's developers for
the card benchmark (people and outlets are fictional; towns are real). Each record's `event` is the id
of its gold card in written.jsonl. Kept as a script so the reports are easy to read and extend."""

import json
from pathlib import Path

R = []


def report(event, outlet, published, title, *paragraphs):
    R.append(
        {
            "id": f"w{len(R) + 1:03d}",
            "event": event,
            "outlet": outlet,
            "published": published,
            "title": title,
            "text": "\n\n".join(paragraphs),
        }
    )


report(
    "gary-shooting",
    "Lakeshore Courier",
    "2016-05-09",
    "Two wounded in Gary shooting, man held",
    "GARY, Ind. — Two men were wounded in a shooting outside a convenience store on Broadway on Sunday night, Gary police said.",
    "Officers found Marcus Deland, 27, and Terrell Owens-Pike, 31, with gunshot wounds shortly after 10 p.m. Both were taken to Methodist Hospital in stable condition.",
    "Police arrested Kevin Amblin, 24, of Merrillville, a short time later. Amblin is accused of firing at the two men after an argument, Sgt. Dana Whitlock said.",
    "By Rosa Jimenez, Chicago bureau",
)
report(
    "gary-shooting",
    "Calumet Daily",
    "2016-05-10",
    "Merrillville man charged in Broadway shooting",
    "A Merrillville man was charged Monday with two counts of attempted murder in the shooting of two men in Gary on Sunday.",
    "Kevin Amblin, 24, is accused of shooting Marcus Deland and Terrell Owens-Pike outside a store in the 2100 block of Broadway, according to the Lake County prosecutor's office.",
)
report(
    "toledo-killing",
    "Maumee Valley Post",
    "2015-08-03",
    "Toledo man killed in drive-by shooting",
    "TOLEDO, Ohio -- A 19-year-old man died Saturday after a drive-by shooting in central Toledo, police said.",
    "Jamal Prentiss was standing on a porch on Dorr Street when someone in a passing car opened fire at about 11:30 p.m. He died at the scene.",
    "No arrests have been made. Police asked anyone with information to call Crime Stoppers.",
    "In 2013, a similar shooting on the same street left a woman injured.",
)
report(
    "fresno-deputy",
    "Central Valley Ledger",
    "2017-02-14",
    "Deputy shoots armed suspect in Fresno",
    "FRESNO, Calif. (CVL) - A Fresno County sheriff's deputy shot and wounded a man who pointed a handgun at officers during a traffic stop on Monday, Sheriff Helen Marsh said.",
    "The man, identified as Robert Kittle, 36, was hospitalized and is expected to survive. The deputy, an eight-year veteran, was not hurt.",
    "Kittle was booked on suspicion of assault on a peace officer.",
)
report(
    "tulsa-robbery",
    "Green Country News",
    "2014-11-22",
    "Clerk shot during robbery at Tulsa gas station",
    "A gas station clerk was shot in the arm during an armed robbery in east Tulsa early Friday, according to Tulsa police.",
    "The clerk, Anita Rawlins, 45, was treated at St. John Medical Center. Officers arrested Derek Sholes, 22, two blocks away with a handgun and cash from the register.",
    "Capt. Leon Harker said Sholes had been released from prison in June.",
)
report(
    "tulsa-robbery",
    "Oklahoma Wire",
    "2014-11-22",
    "Suspect arrested after clerk shot in Tulsa",
    "TULSA, Okla. - Police arrested a 22-year-old man after a convenience store clerk was shot during a robbery Friday morning.",
    "Derek Sholes faces charges of robbery with a firearm and shooting with intent to kill. The clerk, Anita Rawlins, is recovering.",
)
report(
    "camden-double",
    "South Jersey Times-Record",
    "2016-09-18",
    "Two dead after argument ends in gunfire in Camden",
    "CAMDEN, N.J. — Two men were killed Saturday night when an argument at a backyard party turned into a shootout, the Camden County prosecutor's office said.",
    "The victims were identified as Luis Carrero, 29, and Andre Whitfield, 33. A third man was treated for a graze wound.",
    "Investigators are searching for Tyrone Backus, 26, who they say fled in a silver sedan.",
)
report(
    "aurora-officer",
    "Front Range Journal",
    "2015-03-30",
    "Aurora officer wounded, suspect dead after chase",
    "AURORA, Colo. -- An Aurora police officer was wounded and a suspect was killed in an exchange of gunfire after a car chase Sunday, police said.",
    "Officer Brett Lindqvist was struck in the leg and is in good condition. The suspect, Wade Hollis, 41, died at the scene.",
    "The chase began when Hollis fled a traffic stop near Colfax Avenue, Chief Nina Ortega said at a news conference.",
)
report(
    "memphis-child",
    "Bluff City Herald",
    "2016-07-05",
    "Child hurt by stray bullet in Memphis",
    "A 7-year-old girl was hit by a stray bullet while watching fireworks with her family in south Memphis on Monday night, police said.",
    "The girl, Kayla Simms, was taken to Le Bonheur Children's Hospital in critical condition. Police said two groups of men were shooting at each other nearby.",
    "Memphis police director Ray Dunmore called the shooting senseless.",
)
report(
    "lisbon-summit",
    "Iberia Report",
    "2019-06-12",
    "Portuguese and Moroccan leaders meet in Lisbon on migration",
    "LISBON -- Portuguese Prime Minister Duarte Valente met Moroccan Prime Minister Karim Benali in Lisbon on Tuesday to discuss migration across the western Mediterranean.",
    "The two leaders agreed to set up a joint working group on sea rescues, Valente's office said.",
    "Benali last visited Portugal in 2016, when he met Valente's predecessor.",
)
report(
    "lisbon-summit",
    "Atlantic Dispatch",
    "2019-06-11",
    "Benali in Lisbon for migration talks",
    "Moroccan Prime Minister Karim Benali arrived in Lisbon on Tuesday for talks with his Portuguese counterpart Duarte Valente on migration and fisheries.",
    '"We share one sea and one responsibility," Benali told reporters after the meeting.',
)
report(
    "nairobi-protest",
    "East Africa Monitor",
    "2018-10-02",
    "Teachers march in Nairobi over unpaid wages",
    "NAIROBI, Oct 2 - Thousands of teachers marched through central Nairobi on Tuesday to demand wages they say are three months overdue.",
    "Police fired tear gas to disperse protesters near parliament. The teachers' union leader, Wanjiru Mbeki, said the strike would continue until the government pays.",
    "A similar protest in Mombasa in March ended peacefully.",
)
report(
    "chile-quake",
    "Andes Wire",
    "2017-04-25",
    "Strong earthquake shakes central Chile, no deaths reported",
    "VALPARAISO, Chile (AW) - A magnitude 6.9 earthquake struck off the coast of central Chile on Monday, shaking buildings in Valparaiso and Santiago and prompting a brief tsunami warning.",
    "There were no reports of deaths, the national emergency office said. Some houses were damaged in Valparaiso.",
)
report(
    "ohio-derailment",
    "Heartland Rail News",
    "2019-02-04",
    "Freight train derails near Mansfield, residents evacuated",
    "MANSFIELD, Ohio - Twenty-two cars of a freight train derailed near Mansfield early Sunday, and about 200 residents were evacuated as a precaution, the county emergency agency said.",
    "No injuries were reported. Crews were working to remove two tank cars that leaked diesel fuel.",
)
report(
    "manila-arrest",
    "Pacific Asia Times",
    "2016-03-15",
    "Philippine police arrest mayor in drug raid",
    "MANILA - Philippine police arrested the mayor of a town south of Manila on Monday in a raid on his home, where officers said they found illegal drugs and weapons.",
    "Mayor Ernesto Dimaculangan of Calamba was taken to police headquarters in Manila, national police spokesman Vicente Lacson said.",
)
report(
    "berlin-agreement",
    "Continental Review",
    "2018-05-17",
    "Germany and Poland sign energy pact in Berlin",
    "BERLIN -- Germany and Poland signed an agreement on cross-border electricity lines on Wednesday during a visit by Polish Prime Minister Tomasz Wrobel to Berlin.",
    "German Chancellor Ingrid Falk and Wrobel signed the accord at the chancellery. Falk called it a step toward a common European grid.",
)
report(
    "cairo-bombing",
    "Nile Chronicle",
    "2017-12-11",
    "Bomb kills three near Cairo police station",
    "CAIRO - A bomb exploded near a police station in the Giza district of Cairo on Sunday, killing three policemen and wounding four passers-by, the interior ministry said.",
    "No group claimed responsibility. In 2015, a car bomb killed a prosecutor in the same district.",
)
report(
    "houston-flood",
    "Gulf Coast Observer",
    "2016-04-19",
    "Floods swamp Houston after record rain",
    "HOUSTON — Record rainfall flooded hundreds of homes in Houston on Monday, stranding drivers on highways and killing at least five people, Harris County officials said.",
    "More than 1,200 residents were rescued from flooded neighborhoods, Mayor Sylvia Trent said.",
)
report(
    "lagos-fire",
    "West Africa Ledger",
    "2018-01-09",
    "Fire destroys market stalls in Lagos",
    "LAGOS, Nigeria - A fire swept through a crowded market in central Lagos on Monday, destroying hundreds of stalls, the state emergency agency said.",
    "There were no deaths. Traders said the fire began in a generator shed early in the morning.",
)
report(
    "quebec-crash",
    "St Lawrence Times",
    "2015-01-26",
    "Bus crash on icy highway injures 14 near Quebec City",
    "QUEBEC CITY - Fourteen people were injured when a tour bus skidded off an icy highway and overturned north of Quebec City on Sunday, provincial police said.",
    "The driver, Paul-Andre Girard, 58, was among those taken to hospital. Police said speed was not a factor.",
)
report(
    "phoenix-sentence",
    "Desert Sun Press",
    "2017-06-23",
    "Man sentenced to 40 years for Phoenix bar shooting",
    "PHOENIX - A judge on Thursday sentenced Cody Rand, 30, to 40 years in prison for a 2015 shooting at a Phoenix bar that killed one man and wounded another.",
    "Rand was convicted in May of second-degree murder in the death of Victor Alvarado, who was shot in the parking lot of the bar on McDowell Road.",
)
report(
    "stockholm-visit",
    "Nordic Affairs",
    "2019-09-03",
    "Finnish president visits Stockholm for security talks",
    "STOCKHOLM - Finnish President Aino Lehtola began a two-day visit to Stockholm on Monday, meeting Swedish Prime Minister Erik Sandell for talks on Baltic security.",
    "The two discussed joint air force exercises, Sandell told reporters. Lehtola will also address the Swedish parliament on Tuesday.",
)
report(
    "kabul-attack",
    "Central Asia Desk",
    "2018-08-21",
    "Gunmen attack training centre in Kabul",
    "KABUL - Gunmen attacked a police training centre in western Kabul on Monday, killing six recruits before security forces killed the attackers, the interior ministry said.",
    "Ministry spokesman Farid Nazari said two attackers were involved. The Taliban denied involvement.",
)
report(
    "baltimore-arrest",
    "Chesapeake Daily",
    "2016-11-08",
    "Teen arrested in killing of Baltimore shop owner",
    "BALTIMORE -- Police on Monday arrested a 17-year-old in the fatal shooting of a corner store owner in west Baltimore last week.",
    "The owner, Sung Park, 62, was shot during a robbery on Nov. 1. Police did not name the teen because he is a juvenile, Commissioner Darnell Fitch said.",
)
report(
    "seoul-protest",
    "Korea Bulletin",
    "2016-11-13",
    "Hundreds of thousands rally in Seoul against president",
    "SEOUL - Hundreds of thousands of people rallied in central Seoul on Saturday, demanding the resignation of President Han Mi-rae over an influence-peddling scandal.",
    "Organisers said it was the largest protest in the capital since 1987.",
)
report(
    "reno-standoff",
    "High Desert News",
    "2017-09-12",
    "Man killed by police after Reno standoff",
    "RENO, Nev. — A man who fired at officers during a five-hour standoff at a Reno apartment complex was shot and killed by police early Monday, the Reno Police Department said.",
    "The man was identified as Gordon Pell, 52. No officers were injured. Neighbors said Pell had lived alone in the complex for years.",
)
report(
    "athens-strike",
    "Aegean Times",
    "2015-07-15",
    "Greek workers strike as parliament votes on austerity",
    "ATHENS, July 15 - Thousands of public sector workers went on strike in Athens on Wednesday as parliament prepared to vote on new austerity measures.",
    "Union leader Kostas Petridis said workers would not accept more cuts.",
)
report(
    "mumbai-collapse",
    "Arabian Sea Herald",
    "2017-07-26",
    "Building collapse in Mumbai kills 12",
    "MUMBAI - A four-storey residential building collapsed in the Ghatkopar area of Mumbai on Tuesday, killing at least 12 people, municipal officials said.",
    "Rescue workers pulled 11 people alive from the rubble. Police detained a man who had carried out renovations on the ground floor.",
)
report(
    "oakland-shooting",
    "Bay Area Beacon",
    "2016-02-29",
    "Oakland teen shot dead near school",
    "OAKLAND, Calif. - A 16-year-old boy died after being shot near a high school in East Oakland on Friday afternoon, Oakland police said.",
    "The boy was identified by relatives as Darius Mayfield. Police said the shooter fled on foot.",
    "Mayor Dana Okafor said the city would increase patrols near schools.",
)
report(
    "oakland-shooting",
    "Golden State Report",
    "2016-03-02",
    "Arrest made in killing of Oakland teen",
    "A 19-year-old man is under arrest in the Friday shooting death of 16-year-old Darius Mayfield near Fremont High School, Oakland police said.",
    "Javon Tillis was booked on suspicion of murder, police said Tuesday.",
)
report(
    "hanoi-talks",
    "Mekong Observer",
    "2019-02-28",
    "Vietnam hosts Cambodian premier for border talks",
    "HANOI - Vietnamese Prime Minister Tran Van Hieu hosted Cambodian Prime Minister Sok Vanna in Hanoi on Wednesday for talks on demarcating their shared border.",
    "The two governments signed a memorandum on border markers, Vietnam's foreign ministry said.",
)

report(
    "riga-visit",
    "Baltic Ledger",
    "2018-04-19",
    "Estonian premier visits Riga for rail talks",
    "RIGA - Estonian Prime Minister Kalle Saar held talks with Latvian Prime Minister Inese Berzina in Riga on Wednesday on the planned rail link to Warsaw.",
    "The two agreed to share the cost of a new freight terminal, Berzina's office said.",
)
report(
    "spokane-arrest",
    "Inland Northwest Daily",
    "2017-10-05",
    "Spokane police arrest man after downtown stabbing",
    "SPOKANE, Wash. -- Police arrested a 28-year-old man on Wednesday night after a woman was stabbed outside a downtown bus station, Spokane police said.",
    "The suspect, Travis Merrin, was booked into the county jail on suspicion of first-degree assault. The woman, 41, was in serious condition.",
)
report(
    "tbilisi-protest",
    "Caucasus Wire",
    "2019-06-21",
    "Thousands protest outside Georgian parliament in Tbilisi",
    "TBILISI, June 21 - Thousands of people protested outside the parliament in Tbilisi on Friday, demanding the resignation of the speaker over a visit by a foreign delegation.",
    "Police used water cannon to push protesters back from the building, the interior ministry said.",
)

out = Path(__file__).with_name("written-corpus.jsonl")
out.write_text("".join(json.dumps({k: v for k, v in r.items()}) + "\n" for r in R), encoding="utf-8")
print(f"{len(R)} reports -> {out}")
