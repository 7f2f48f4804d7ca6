/**
 * The combined script-tag file (dist/beckon-full.js): the SDK of dist/beckon.js and the nudges
 * plugin, started when options.plugins names "nudges" (no deps needed). The imports run in order.
 */
import './full-before';
import '../script-tag';
import './full-after';
