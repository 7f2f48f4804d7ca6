/**
 * The combined script-tag file (dist/beckon-full.js): the SDK of dist/beckon.js, the nudges
 * plugin and the surveys plugin, each started when options.plugins names it ("nudges",
 * "surveys"; no deps needed). The imports run in order.
 */
import './full-before';
import '../surveys/full-before';
import '../script-tag';
import './full-after';
import '../surveys/full-after';
