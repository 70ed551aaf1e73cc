// Vocabulary for synthetic prompts (src/dataset/synthetic-prompts.ts): common English words, roughly
// most frequent first (the generator samples them with Zipf-like weights, so the list order matters).
// Hand-written; lowercase ASCII letters only, no duplicates (tests check both).
export const PROMPT_WORDS: readonly string[] = `
the of and to a in is that for it as was with be by on not he this are or his from at which but
have an they you were her she there one been we their has would all will when who more if no
out so said what up its about into than them can only other new some could time these two may
then do first any my now such like our over man me even most made after also did many before
must through back years where much your way well down should because each just those people how
too little good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go
came right used take three himself few house use during without again place around however home
small found thought went say part once general high upon school every does got left number course
war until always away something fact though water less public put think almost hand enough far
took head yet government system better set told nothing night end why called eyes find going
look asked later knew point next program city business give group toward young days let room
side social given present several order national possible rather second face per among form
important often things looked early white case become large big need four within felt along
children saw best church ever least power development light thing seemed family interest want
members mind country area others done turned although open service certain kind problem began
different door thus help sense means whole matter perhaps itself times law human line above
name example action company hands local show whether five history gave today either act feet
across taken past quite anything seen having death experience body half really word field car
words already themselves information tell together college shall money period held keep sure
free seems real behind cannot miss political air question making office brought whose special
heard major problems ago became moment study available known result street economic boy position
reason change south board individual job society areas west close turn love community true
court force full seem am wife future age voice center woman control common policy necessary
following front sometimes six girl clear further land run students provide feel party able
mother music education university child effect level stood military town short morning total
outside rate figure class art century north usually plan leave therefore evidence top million
sound black strong hard various says believe type value play surface soon mean near lines table
peace modern tax road red book personal process situation minutes increase idea alone women gone
nor living months started longer dark private low forms attention report hundred research view
considered particular natural decided trade answer heart ten continued nature material spirit
quality blue sort subject cost figures difference wanted paper heavy basis doctor entire march
river moved clearly population theory sitting writer stage production simply performance farm
record lay account weeks paid bring include entirely cold hope wall spring press arms summer
fire ground market opened friends purpose section ready trying beginning rest lost reached late
effort received floor evening wide seven design data chance difficult instead coming series
freedom hold read piece direct meeting strength space medical hour meaning food growth fine
industry involved bed army method kept likely greater sat husband feeling character test moral
sun throughout middle region activity ideas basic horse boys complete range building faith
final earth beyond expected average reading plane statement loss practice cut movement girls
yes changes developed poor issue merely standing terms written round knowledge follow union
letter fear move list daily picture friend east wrote appeared hotel foreign respect island
speak trouble straight stock produced brown direction extent chief spent everything questions
needed physical someone placed rise hair worked simple caught recent wish boat single season
dinner step actual nation serious fall shown bill eye met obtain square choice goes steps green
greatest cases immediately equipment sent brother hit leaves beautiful religious trees bright
mass manner race truth western foot science tried fight base understanding larger hall fully
bottom cause size described clean quickly patient learned walked progress firm stand slowly image
gas pattern sight quiet tradition inside ship built finally temperature warm sea wind notice
coast author laws remember cars observed organization names capital district ancient watch rule
supply glass grew audience literature truly village animals wood silence garden winter machine
shot talk facts writing heat kitchen ocean daughter theater stone distance camp forest hill
skin valley soldiers sky bread journey harbor wheat castle mountain lake meadow bridge lamp
window candle gentle golden silver autumn harvest orchard storm thunder shadow whisper courage
wisdom honor promise memory kingdom stranger traveler farmer sailor merchant painter scholar
student teacher desert tower library museum station bakery cottage palace temple canyon glacier
volcano prairie marsh carry explain describe remain consider appear suggest create allow offer
develop measure return listen arrive gather wander discover imagine prepare protect recognize
depend mention compare collect divide repair borrow travel decide improve reduce support explore
balance attempt welcome wonder narrow ordinary careful curious honest eager proud sudden distant
familiar hidden broken steady brief bitter fresh silent sharp smooth rough thick thin wooden
empty crowded wealthy humble modest vast tiny northern southern eastern afternoon midnight
weather cloud rain snow stream pond shore wave sand pebble rock cliff path trail lane avenue
corner fence gate roof chimney porch cellar attic kettle basket blanket ladder hammer needle
thread button pocket collar sleeve ribbon feather leaf branch root seed flower blossom apple
pear cherry plum grape berry honey butter cheese soup salt pepper sugar coffee tea milk
`
  .split(/\s+/)
  .filter((w) => w.length > 0);
