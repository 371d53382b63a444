// Package davxml is the XML codec that the WebDAV handler (dav) and the CalDAV/CardDAV handler
// (calendar/calhttp) share: it parses request bodies (PROPFIND, PROPPATCH, LOCK) and the If header,
// and writes multistatus and lock bodies. It knows nothing of HTTP handlers or storage.
//
// Parsing uses encoding/xml's Decoder in raw mode with our own namespace resolution, so that
// undeclared prefixes and illegal declarations (xmlns:p="") are rejected, and so that property
// values can be re-serialised as self-contained fragments. All XML is written by hand with explicit
// prefixes: the encoding/xml Encoder does not preserve namespaces faithfully.
package davxml
