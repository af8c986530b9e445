// app/demo/DemoVocabulary.cpp — the word lists behind `vwb demo seed`. Each forum's nouns, verbs
// and adjectives are its own (no word is in two forums' lists, tests/unit/tst_democorpus.cpp checks),
// so a lexical search for a forum's subject finds that forum's topics.
#include "demo/DemoVocabulary.h"

namespace vwb {
namespace {

/// One forum as written here: words separated by spaces, templates separated by '|'.
struct RawForum
{
    const char *name;
    const char *nouns;
    const char *verbs;
    const char *adjectives;
    const char *titles;
    const char *sentences;
};

// clang-format off
const RawForum Forums[] = {
    {"sourdough-baking",
     "starter levain crumb crust loaf boule batard banneton dough flour rye hydration autolyse lame cloche gluten "
     "culture discard tang poolish focaccia baguette spelt einkorn couche sourdough crumbshot preferment stretchfold "
     "ciabatta",
     "knead proof bake shape score fold feed refresh ferment retard rise preheat mix hydrate laminate steam dust slash "
     "coil preshape braid activate sift weigh cool overferment toast leaven sour overproof",
     "open tight sour tangy airy dense gummy blistered crackly chewy glossy sticky slack underproofed overproofed "
     "wholegrain crusty rustic lofty caramelized bubbly lively sluggish seeded malty nutty custardy springy floury "
     "golden",
     "My {n} won't rise — {a} {n} again|How long should I {v} a {a} {n} in a cold kitchen?|"
     "First {n} at {#}% hydration: {a} crust, {a} crumb|Should I {v} before I {v} the {n}?|"
     "Crumb check: is this {n} {a} or {a}?",
     "My {n} has been {a} for {#} days even though I {v} it twice a day.|"
     "I {v} the {n} at 24 °C and {v} it overnight in the fridge.|"
     "The {n} came out {a} and a bit {a}, so I think I need to {v} longer.|"
     "Using {#}% rye in the {n} made the crumb much more {a}.|"
     "After the autolyse I {v} and {v} before the final proof in the banneton.|"
     "Is a {a} {n} normal when you bake in a preheated cloche?|"
     "I feed the starter 1:1:1 with rye flour and it doubles in {#} hours.|"
     "The loaf spread out on the peel, so next bake I will {v} it tighter.|"
     "My {a} {n} smells like nail polish, is the starter hungry?"},
    {"astronomy",
     "telescope eyepiece nebula galaxy cluster comet planet moon crater eclipse meteor aperture equatorial refractor "
     "reflector dobsonian collimator finderscope constellation asteroid jupiter saturn orion andromeda starfield "
     "binoculars barlow diagonal transit occultation",
     "observe collimate align track guide stack resolve sketch log magnify orbit dither autoguide slew starhop "
     "platesolve gaze stargaze chart spot twinkle glow shine occult scan locate identify catalog defocus culminate",
     "faint bright dark cloudy transparent steady turbulent celestial lunar solar stellar galactic planetary "
     "apochromatic achromatic circumpolar nocturnal dim moonless starry orbital cosmic interstellar eclipsing binary "
     "dewy frosty hazy polar spiral",
     "Can't {v} the {n} with my {a} refractor|Is a {#}0mm aperture enough to {v} a {a} {n}?|"
     "{a} skies last night — {n} and {n} report|Tips to {v} a {n} from a light-polluted backyard|"
     "Why does my {n} look {a} at high magnification?",
     "Under {a} skies I managed to {v} the {n} with a {#}mm eyepiece.|"
     "Seeing was {a} and the {n} kept wandering out of the field of view.|"
     "I {v} my dobsonian for {#} minutes before trying to {v} the {n}.|"
     "The {n} was {a} but clearly visible near the constellation Orion.|"
     "Next new moon I want to {v} the {a} {n} with the equatorial mount.|"
     "Dew on the {n} ended the session early, so a dew shield is next on my list.|"
     "Jupiter showed two cloud belts and three moons through the {a} {n}.|"
     "Polar alignment took {#} minutes, then I could {v} the {n} all night."},
    {"home-networking",
     "router switch modem firewall subnet vlan mesh hotspot ethernet cable wifi bandwidth latency dhcp dns gateway "
     "nas ipv6 repeater ssid vpn pihole coax uplink backhaul throughput packet homelab poe isp",
     "configure ping forward bridge reboot flash throttle tunnel encrypt troubleshoot provision segment isolate "
     "whitelist blacklist portscan terminate daisychain roam handshake cache proxy multicast broadcast sniff nat ssh "
     "traceroute authenticate subnet",
     "wired wireless dualband gigabit managed unmanaged static flaky laggy encrypted bridged routed meshed triband "
     "upstream downstream overloaded saturated segmented isolated redundant firewalled congested secure unsecured "
     "lossy jittery buffered headless shielded",
     "{a} wifi in the back bedroom — {n} or {n}?|How do I {v} a {n} on a {a} network?|"
     "Should the {n} sit behind the {n}?|{n} drops every {#} minutes, {a} ethernet too|"
     "Best way to {v} IoT devices onto their own vlan?",
     "The {n} is {a} and latency spikes to {#}0 ms every evening.|"
     "I tried to {v} the {n} but the ISP modem keeps resetting it.|"
     "My plan is to {v} the {n} and put the cameras on a {a} vlan.|"
     "Ping to the gateway is fine, so I suspect the {a} {n}.|"
     "I ran cat6 through the attic and now I need to {v} the {n}.|"
     "DHCP hands out addresses from the wrong subnet whenever I {v} the {n}.|"
     "Speed tests show {#}0 Mbps on wifi but full gigabit over the {n}.|"
     "After a software update the {n} stopped handing out IPv6 prefixes."},
    {"woodworking",
     "chisel handplane tablesaw bandsaw lathe jointer planer dovetail mortise tenon joinery workbench clamp grain "
     "walnut oak maple hardwood plywood veneer sawdust mallet rasp spokeshave kerf shellac varnish dowel sandpaper "
     "offcut",
     "saw rip crosscut joint sand glue plane carve chamfer rout bore stain oil burnish hone sharpen whittle flatten "
     "square measure scribe pare resaw inlay bevel dado fasten peg countersink season",
     "square figured quartersawn flatsawn kilndried rough smooth splintery knotty burled spalted oily resinous blunt "
     "gappy snug torn handcut dovetailed reclaimed seasoned resawn glued planed sanded stained oiled waxed chamfered "
     "cupped",
     "First hand-cut {n}: {a} but {a}|How do you {v} {a} walnut without tearout?|"
     "{n} or {n} for a first workbench?|Why is my {n} always {a} after I {v}?|Finally learned to {v} a {n} properly",
     "I {v} the {n} with a freshly honed chisel and it came out {a}.|"
     "The oak was {a}, so I had to {v} it twice before glue-up.|"
     "My {n} has a {a} blotch that no amount of sandpaper will fix.|"
     "Next I want to {v} the {n} and finish it with shellac.|"
     "The {a} {n} from the lumberyard needed a week to settle in the shop.|"
     "I clamp the {n} to the workbench and {v} with the grain.|"
     "The dovetails were {a}, so I cut a new set of pins from the offcut.|"
     "I plan to {v} the {n} by hand rather than fire up the tablesaw."},
    {"cycling",
     "bicycle chain derailleur cassette crankset saddle handlebar pedal tyre wheel spoke hub cadence peloton sprint "
     "gravel commute carbon headset bottombracket brake tube helmet jersey cleat groupset stem seatpost puncture "
     "velodrome",
     "ride pedal shift draft spin coast brake lube true inflate pump bonk commute descend corner accelerate overhaul "
     "tension dish clip unclip bunnyhop wheelie cruise grind tour bikepack overtake freewheel degrease",
     "aero tubeless clipless lightweight compliant hilly flat punctured gravelly rolling windy downhill uphill "
     "singlespeed geared aerodynamic endurance racy upright tubular hydraulic cushioned padded saddlesore rideable "
     "muddy dusty sporty tandem punchy",
     "{a} ride today: {#} km and one puncture|How often should I {v} the {n}?|"
     "{n} keeps skipping on the {a} climbs|Worth upgrading to a {a} {n}?|Tips to {v} a {n} before a gravel race",
     "On the {a} sections the {n} started to creak, so I had to {v} it at home.|"
     "I {v} the {n} every {#}00 km and the drivetrain stays quiet.|"
     "My cadence drops on {a} roads and the {n} feels {a}.|"
     "The shop told me to {v} the {n} and check the derailleur hanger.|"
     "With a {a} {n} I averaged {#} km/h on the Sunday group ride.|"
     "I run tubeless at {#} psi and have not had a puncture since.|"
     "The {n} has {#}00 km on it and the chain is already stretched.|"
     "On the descent the hydraulic brakes felt {a} after a long {n}."},
    {"aquariums",
     "aquarium tank filter substrate heater betta guppy tetra cichlid shrimp snail algae driftwood nitrate ammonia "
     "nitrite aquascape coral reef pleco goldfish angelfish moss anubias fry canister airstone skimmer biofilm fish",
     "cycle dose quarantine acclimate siphon rescape trim prune scape breed spawn medicate vacuum rinse topoff aerate "
     "stock overstock float molt school swim graze shoal propagate fertilize condition dechlorinate seed mature",
     "planted brackish freshwater saltwater tropical murky acidic alkaline peaceful territorial nano cycled uncycled "
     "overstocked lush leggy invasive schooling livebearing shy colorful iridescent chlorinated dechlorinated "
     "biological bioactive overfed carnivorous herbivorous reefsafe",
     "{a} water two weeks after I set up the {n}|Can I {v} a {n} with a {a} betta?|"
     "Ammonia spike — should I {v} the {n}?|{a} {n} in a {#} litre planted tank|"
     "How long to {v} a new {n} before adding fish?",
     "Ammonia reads {#} ppm and the {n} looks {a}.|I {v} the {n} weekly and change {#}% of the water.|"
     "The {a} {n} keeps picking at the anubias leaves.|My plan is to {v} the {n} and add a few {a} tetras.|"
     "Nitrate stays under {#} ppm since I started to {v} the {n}.|"
     "The canister filter is {a} but the {n} still looks {a}.|"
     "The shrimp population grew to {#} adults after I started to {v} less often.|"
     "The driftwood tinted the water, which the betta seems to enjoy."},
    {"chess",
     "opening endgame gambit pawn knight bishop rook queen king checkmate stalemate tempo fianchetto sacrifice blunder "
     "tactic puzzle elo rating tournament zugzwang middlegame sicilian repertoire opponent chessboard pin skewer blitz "
     "engine fork",
     "castle promote capture defend attack trade exchange pin skewer blunder resign analyze calculate checkmate "
     "sacrifice outplay outmaneuver premove underpromote transpose blitz flag memorize mate counterattack overprotect "
     "centralize deflect decoy draw",
     "positional tactical aggressive passive solid hanging backward doubled passed closed hypermodern classical "
     "theoretical dubious winning losing drawn decisive forced brilliant unsound cramped rapid blindfold symmetrical "
     "romantic prophylactic offbeat queenside kingside",
     "Why do I always {v} in the {n}?|Is the {a} {n} still playable at {#}00 elo?|{a} {n} — did I miss a tactic?|"
     "How to {v} against a {a} {n}?|Lost a {a} endgame on time again",
     "On move {#} I tried to {v} the {n} but missed a {a} tactic.|"
     "The engine says the {n} is {a} after the knight sacrifice.|"
     "My opponent played a {a} {n} and I did not know how to {v}.|"
     "I want to {v} more and stop hanging pieces in blitz.|"
     "In the {a} middlegame I should {v} instead of trading queens.|"
     "Studying rook endgames for {#} hours made my {n} far less {a}.|"
     "In the Sicilian my {n} was {a} and the engine gave me +{#}.|"
     "I lost on time with a {a} position, again, in a {#}+0 game."},
    {"photography",
     "camera lens shutter fstop iso exposure tripod histogram bokeh sensor mirrorless dslr viewfinder polarizer strobe "
     "softbox raw lightroom portrait landscape composition prime telephoto noise whitebalance darkroom negative film "
     "zoom gimbal",
     "shoot photograph frame compose expose meter focus retouch crop bracket pan blur develop snap timelapse denoise "
     "underexpose overexpose backlight vignette dodge burn autofocus tether geotag stitch reframe enlarge silhouette "
     "handhold",
     "sharp blurry noisy grainy overexposed underexposed wide fast candid moody vibrant monochrome cinematic handheld "
     "backlit matte contrasty dreamy crisp panoramic macro fisheye anamorphic shallow silky highkey lowkey stabilized "
     "weathersealed fullframe",
     "{a} shots at blue hour — what am I doing wrong?|{n} or {n} for {a} portraits?|How to {v} a {a} {n} in low light|"
     "Is a {a} {n} worth it for landscape work?|First roll of film: {a} but I love it",
     "At f/{#} the {n} looks {a} even with a tripod.|I {v} at ISO {#}00 and the shadows came out {a}.|"
     "The {a} {n} makes portraits look {a} straight out of camera.|"
     "Next time I will {v} the {n} and bracket the exposure.|"
     "The histogram shows the highlights are clipped, so I {v} in Lightroom.|"
     "My {n} struggles to autofocus on {a} subjects at dusk.|"
     "A {a} {n} on the mirrorless body made focusing at f/1.8 much easier.|"
     "The RAW files look {a} until I {v} and lift the shadows."},
    {"beekeeping",
     "hive colony larva drone brood comb honey nectar pollen swarm super smoker veil propolis beeswax varroa apiary "
     "nuc "
     "excluder extractor beehive feeder forager queencell honeyflow capping langstroth mite beekeeper bee",
     "inspect smoke requeen split harvest extract uncap overwinter swarm forage sting buzz pollinate brush render "
     "combine unite supersede bottle strain rob fan mark abscond dequeen cage release wax crystallize drift nurse",
     "queenless queenright gentle defensive capped uncapped crystallized wildflower buckwheat clover waxy populous "
     "laying dronelaying overwintered swarmy honeybound feral italian carniolan buckfast propolized apicultural "
     "robbing "
     "foraging mated virgin amber floral unmated",
     "Colony looks {a} after the last inspection|When should I {v} the {n} this spring?|"
     "{a} {n} and no eggs — what now?|First honey harvest: {#} kg from one {n}|How to {v} without getting stung",
     "The {n} was {a} and the bees were unusually {a} today.|I {v} the {n} every {#} days during the honeyflow.|"
     "Varroa count was {#} mites per 300 bees, so I plan to {v} soon.|"
     "There were {a} supersedure cells on the bottom of two frames.|"
     "I added a super and the {n} filled it with {a} honey in {#} weeks.|"
     "The smoker went out halfway through, and the {a} {n} let me know.|"
     "The hive weighed {#} kg in October, so I hope they make it through winter.|"
     "Varroa drop on the mite board was {a} after the oxalic treatment."},
    {"3d-printing",
     "nozzle filament extruder hotend heatbed pla petg abs tpu slicer gcode infill layer stringing warping probe "
     "firmware stepper bowden retraction brim raft overhang cura prusa ender resin buildplate spool thermistor",
     "print slice extrude level calibrate retract tune anneal cure warp string clog unclog purge dry tram mod remix "
     "model scale orient ooze babystep autolevel squish peel sinter postprocess overextrude underextrude",
     "stringy warped clogged hygroscopic brittle flexible translucent silk directdrive multicolor printable sliced "
     "overextruded underextruded heated enclosed leveled uneven watertight parametric supportless gyroid toolless "
     "glassy squished stepped infilled sparse hollow raised",
     "First layer is {a} no matter how I {v}|{n} or {n} for {a} parts?|{a} {n} after switching to PETG|"
     "Should I {v} the {n} before every print?|{n} clogs after {#} hours — help",
     "At 2{#} °C the {n} comes out {a} and a bit {a}.|I {v} the {n} and reprinted the benchy, still {a}.|"
     "The slicer puts {#}% infill on the {n} and it still warps.|"
     "My next step is to {v} the {n} and dry the filament.|"
     "Retraction at {#} mm fixed the stringing on the {a} {n}.|"
     "The bed probe says the plate is {a}, so I {v} before each print.|"
     "The nozzle is {a} after {#} spools of PETG and needs replacing.|"
     "Cura and PrusaSlicer give me very different {n} settings for the same part."},
    {"climbing",
     "crag boulder route harness belay carabiner quickdraw rope chalk crimp jug sloper roof anchor bolt cam nut grade "
     "beta crux pitch multipitch hangboard highball crashpad bouldering topo belayer dyno redpoint",
     "climb belay rappel abseil lead toprope onsight send project smear jam mantle heelhook toehook dyno lower "
     "downclimb traverse whip deadpoint gaston lockoff bail jumar layback undercling campus pad rack bump",
     "steep overhanging slabby crimpy polished chossy runout sandbagged stiff grippy exposed vertical trad sport "
     "alpine bouldery pumpy technical powerful reachy burly committing protectable bolted chalky greasy flashed "
     "sustained loose slopey",
     "Finally sent my {a} {n} project|How to {v} on {a} slab without slipping?|Is this {n} {a} for the grade?|"
     "Beta request: {a} crux on a {#}-bolt {n}|Hangboard plan to {v} harder {n} problems",
     "The {n} was {a} and I could not {v} past the third bolt.|I {v} the {n} after {#} sessions of working the beta.|"
     "My belayer says I should {v} more instead of over-gripping.|"
     "On {a} rock the {n} feels {a} and my feet keep popping.|"
     "Next weekend we want to {v} a {#}-pitch {a} {n}.|"
     "Chalk and a stiffer shoe helped me {v} the {n} on the roof.|"
     "The crux is a {a} sloper move that I can only {v} when the friction is good.|"
     "We racked up at the crag and the first pitch was {a} and polished."},
    {"vintage-synths",
     "synthesizer oscillator vcf envelope lfo sequencer arpeggiator patch patchcord modular eurorack moog juno "
     "polysynth monosynth keybed cutoff resonance vca midi capacitor potentiometer sampler theremin portamento "
     "rackmount chorus waveform mellotron keyboard",
     "patch modulate detune sequence arpeggiate recap sync resonate sweep trigger quantize sample overdub glide solder "
     "desolder retune program attenuate amplify noodle automate bounce loop distort gate warble voice phase arp",
     "analog digital vintage polyphonic monophonic fat squelchy buzzy detuned resonant subtractive additive wavetable "
     "hissy scratchy drifting recapped sampled patchable semimodular eighties seventies japanese duophonic lofi gritty "
     "metallic percussive evolving spacey",
     "{a} {n} from the eighties — worth restoring?|How do I {v} the {n} on a {a} Juno?|"
     "{n} detunes itself after {#} minutes|Recapped my {n}: {a} again|Best way to {v} a {a} {n} over MIDI?",
     "The {n} sounds {a} until I {v} the VCF cutoff.|I {v} the {n} and replaced {#} electrolytic capacitors.|"
     "With the {a} {n} the bass line gets properly {a}.|My plan is to {v} the {n} from the sequencer over MIDI.|"
     "After {#} minutes of warm-up the oscillators finally stay in key.|"
     "The {a} {n} crackles when I {v}, probably a dirty potentiometer.|"
     "The Juno chorus hiss is {a}, but that is part of the charm.|"
     "I want to {v} the {n} with the eurorack clock and a MIDI interface."},
};

const char SharedTimeWords[] = "day week weekend month fortnight season winter summer autumn evening morning night";

const char SharedTitles[] =
    "Beginner question: how do you {v} a {a} {n}?|{a} {n} after only a {x} — normal?|"
    "Best way to {v} the {n} on a budget|Help: my {n} keeps getting {a}|Is it worth it to {v} a {n}?|"
    "{n} vs {n}: which one for a beginner?|Show and tell: my first {a} {n}|Anyone else {v} their {n} every {x}?|"
    "Recommendations for a {a} {n}?|Weird problem when I {v} the {n}";

const char SharedSentences[] =
    "I have been at this for about {#} months now and the {n} still surprises me.|"
    "Last {x} I tried to {v} the {n} and it turned out {a}.|"
    "Any advice on how to {v} a {a} {n} would be appreciated.|"
    "My {n} looks {a}, which makes me think I should {v} it differently.|"
    "A friend suggested I {v} the {n} first, but I am not convinced.|"
    "I read somewhere that a {a} {n} is the key, is that true?|"
    "Budget is around {#}0 euros, so nothing fancy.|"
    "Photos are in the comments if that helps.|"
    "Edit: forgot to mention that the {n} is about {#} years old.|"
    "Has anyone compared a {a} {n} with a {a} {n}?|"
    "I usually {v} on the {x} when there is more time.|"
    "The manual says to {v} the {n}, but that feels wrong to me.";

const char SharedReplies[] =
    "Have you tried to {v} the {n} first?|Same thing happened to me with a {a} {n}.|"
    "I would not {v} it yet; give the {n} another {x}.|Great question, I had a {a} {n} for years.|"
    "+1 to what others said about the {n}.|Honestly a {a} {n} is all you need.|"
    "That looks {a} to me, nothing to worry about.|I {v} mine every {x} and never had an issue.|"
    "Thanks — this fixed my {a} {n} too.|Check the {n} first; nine times out of ten that is the culprit.";

const char SharedClosers[] =
    "Thanks in advance!|Any help is appreciated.|Cheers.|Thanks for reading this far.|"
    "Happy to post more details.|Merci — and sorry for the long post.|Will report back.";
// clang-format on

QStringList words(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList templates(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char('|'), Qt::SkipEmptyParts);
}
} // namespace

const QList<ForumVocabulary> &demoForums()
{
    static const QList<ForumVocabulary> forums = [] {
        QList<ForumVocabulary> out;
        for (const RawForum &f : Forums)
            out.append({QString::fromUtf8(f.name), words(f.nouns), words(f.verbs), words(f.adjectives), templates(f.titles),
                        templates(f.sentences)});
        return out;
    }();
    return forums;
}

const SharedVocabulary &sharedVocabulary()
{
    static const SharedVocabulary shared{words(SharedTimeWords), templates(SharedTitles), templates(SharedSentences),
                                         templates(SharedReplies), templates(SharedClosers)};
    return shared;
}
} // namespace vwb
