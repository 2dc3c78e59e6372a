#include "phish/page_beacon.h"

#include <fmt/format.h>

namespace phishdrill::phish {

namespace {

// A JavaScript string literal: the URL is ours, but escape it all the same.
std::string js_string(std::string_view text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\' || c == '<' || c == '>' || c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string page_beacon_script(std::string_view beacon_url, int min_visible_ms,
                               int min_interactions) {
  // Counts visible time and trusted input; sends once, when both thresholds
  // are reached (checked on input, every second, and when the page is hidden).
  return fmt::format(
      "(function(){{var u={},m={},k={},seen=0,since=null,n=0,sent=false;"
      "function tick(){{if(document.visibilityState==='visible'){{if(since===null)"
      "since=Date.now();}}else if(since!==null){{seen+=Date.now()-since;since=null;}}}}"
      "function total(){{return seen+(since===null?0:Date.now()-since);}}"
      "function send(){{tick();if(sent||n<k||total()<m)return;sent=true;"
      "var b=new URLSearchParams();b.append('v',String(total()));b.append('i',String(n));"
      "if(!(navigator.sendBeacon&&navigator.sendBeacon(u,b))){{"
      "fetch(u,{{method:'POST',body:b,keepalive:true,credentials:'omit'}}).catch(function(){{}});}}"
      "}}"
      "['pointerdown','pointermove','keydown','touchstart','wheel','scroll'].forEach(function(t){{"
      "addEventListener(t,function(e){{if(e.isTrusted){{n++;send();}}}},"
      "{{capture:true,passive:true}});}});"
      "document.addEventListener('visibilitychange',send);tick();"
      "var timer=setInterval(function(){{send();if(sent)clearInterval(timer);}},1000);}})();",
      js_string(beacon_url), min_visible_ms, min_interactions);
}

}  // namespace phishdrill::phish
