package davxml

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

func TestParsePropfind(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Propfind
	}{
		{"empty body", "", Propfind{AllProp: true}},
		{"white space body", "\r\n", Propfind{AllProp: true}},
		{"allprop", `<?xml version="1.0" encoding="utf-8" ?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`,
			Propfind{AllProp: true}},
		{"allprop default namespace", `<propfind xmlns="DAV:"><allprop/></propfind>`, Propfind{AllProp: true}},
		{"allprop with include", `<D:propfind xmlns:D="DAV:"><D:allprop/><D:include><D:supported-live-property-set/><C:calendar-home-set xmlns:C="urn:ietf:params:xml:ns:caldav"/></D:include></D:propfind>`,
			Propfind{AllProp: true, Include: []Name{{"DAV:", "supported-live-property-set"}, {"urn:ietf:params:xml:ns:caldav", "calendar-home-set"}}}},
		{"include before allprop", `<D:propfind xmlns:D="DAV:"><D:include><D:x/></D:include><D:allprop/></D:propfind>`,
			Propfind{AllProp: true, Include: []Name{{"DAV:", "x"}}}},
		{"propname", `<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>`, Propfind{PropName: true}},
		{"prop with several namespaces", `<?xml version="1.0"?>
<D:propfind xmlns:D="DAV:" xmlns:R="http://ns.example.com/boxschema/">
  <!-- a comment -->
  <D:prop>
    <R:bigbox/>
    <R:author>ignored content <R:x/></R:author>
    <D:getetag/>
    <foo xmlns="http://example.com/neon/litmus/"/>
    <nons xmlns=""/>
    <R:bigbox xmlns:R="urn:rebound"/>
  </D:prop>
</D:propfind>`,
			Propfind{Props: []Name{
				{"http://ns.example.com/boxschema/", "bigbox"},
				{"http://ns.example.com/boxschema/", "author"},
				{"DAV:", "getetag"},
				{"http://example.com/neon/litmus/", "foo"},
				{"", "nons"},
				{"urn:rebound", "bigbox"},
			}}},
		{"prop in default DAV namespace, unqualified child", `<propfind xmlns="DAV:"><prop><displayname/><x xmlns=""/></prop></propfind>`,
			Propfind{Props: []Name{{"DAV:", "displayname"}, {"", "x"}}}},
		{"unknown children ignored", `<D:propfind xmlns:D="DAV:"><X:ext xmlns:X="urn:x"><D:prop/></X:ext><D:future/><D:propname/></D:propfind>`,
			Propfind{PropName: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePropfind(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParsePropfind: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParsePropfindErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"garbage", "this is not XML"},
		{"not well-formed (litmus propfind_invalid)", "<foo>"},
		{"invalid namespace declaration (litmus propfind_invalid2)", `<D:propfind xmlns:D="DAV:"><D:prop><bar:foo xmlns:bar=""/></D:prop></D:propfind>`},
		{"wrong root", `<D:propertyupdate xmlns:D="DAV:"><D:allprop/></D:propertyupdate>`},
		{"root without namespace", `<propfind><allprop/></propfind>`},
		{"root in other namespace", `<propfind xmlns="urn:not-dav"><allprop/></propfind>`},
		{"none of allprop/propname/prop", `<D:propfind xmlns:D="DAV:"/>`},
		{"only include", `<D:propfind xmlns:D="DAV:"><D:include><D:x/></D:include></D:propfind>`},
		{"allprop and propname", `<D:propfind xmlns:D="DAV:"><D:allprop/><D:propname/></D:propfind>`},
		{"prop and include", `<D:propfind xmlns:D="DAV:"><D:prop><D:x/></D:prop><D:include><D:y/></D:include></D:propfind>`},
		{"truncated", `<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/>`},
		{"mismatched tags", `<D:propfind xmlns:D="DAV:"><D:prop></D:propfind></D:prop>`},
		{"undeclared prefix", `<D:propfind xmlns:D="DAV:"><D:prop><Z:x/></D:prop></D:propfind>`},
		{"second root", `<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind><D:propfind xmlns:D="DAV:"/>`},
		{"binary", "\x00\x01\x02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := ParsePropfind(strings.NewReader(tt.in)); err == nil {
				t.Errorf("ParsePropfind(%q) = %+v, want an error", tt.in, got)
			}
		})
	}
}

func TestParsePropPatch(t *testing.T) {
	const z = "http://ns.example.com/z/"
	tests := []struct {
		name string
		in   string
		want []PropOp
	}{
		{"RFC 4918 §9.2.2 example, set and remove",
			`<?xml version="1.0" encoding="utf-8" ?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://ns.example.com/z/">
  <D:set><D:prop><Z:Authors><Z:Author>Jim Whitehead</Z:Author><Z:Author>Roy Fielding</Z:Author></Z:Authors></D:prop></D:set>
  <D:remove><D:prop><Z:Copyright-Owner/></D:prop></D:remove>
</D:propertyupdate>`,
			[]PropOp{
				{Name: Name{z, "Authors"}, Value: []byte(`<Z:Authors xmlns:Z="http://ns.example.com/z/"><Z:Author>Jim Whitehead</Z:Author><Z:Author>Roy Fielding</Z:Author></Z:Authors>`)},
				{Remove: true, Name: Name{z, "Copyright-Owner"}},
			}},
		{"interleaved, several per prop, document order",
			`<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z">
<D:remove><D:prop><Z:a/><Z:b>ignored</Z:b></D:prop></D:remove>
<D:set><D:prop><Z:c>1</Z:c><Z:d>2</Z:d></D:prop></D:set>
<D:remove><D:prop><Z:c/></D:prop></D:remove>
<D:set><D:prop><Z:a>3</Z:a></D:prop></D:set>
</D:propertyupdate>`,
			[]PropOp{
				{Remove: true, Name: Name{"urn:z", "a"}},
				{Remove: true, Name: Name{"urn:z", "b"}},
				{Name: Name{"urn:z", "c"}, Value: []byte(`<Z:c xmlns:Z="urn:z">1</Z:c>`)},
				{Name: Name{"urn:z", "d"}, Value: []byte(`<Z:d xmlns:Z="urn:z">2</Z:d>`)},
				{Remove: true, Name: Name{"urn:z", "c"}},
				{Name: Name{"urn:z", "a"}, Value: []byte(`<Z:a xmlns:Z="urn:z">3</Z:a>`)},
			}},
		{"empty values",
			`<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><e xmlns="urn:e"/><f xmlns="urn:e"></f></D:prop></D:set></D:propertyupdate>`,
			[]PropOp{
				{Name: Name{"urn:e", "e"}, Value: []byte(`<ns0:e xmlns:ns0="urn:e"/>`)},
				{Name: Name{"urn:e", "f"}, Value: []byte(`<ns0:f xmlns:ns0="urn:e"/>`)},
			}},
		{"value with a namespaced child of another namespace (litmus propvalnspace)",
			`<propertyupdate xmlns="DAV:"><set><prop><t:valnspace xmlns:t="http://example.com/neon/litmus/"><foo xmlns="bar"/></t:valnspace></prop></set></propertyupdate>`,
			[]PropOp{{Name: Name{"http://example.com/neon/litmus/", "valnspace"},
				Value: []byte(`<t:valnspace xmlns:t="http://example.com/neon/litmus/"><ns0:foo xmlns:ns0="bar"/></t:valnspace>`)}}},
		{"no-namespace property and child",
			`<propertyupdate xmlns="DAV:"><set><prop><nons xmlns="">x<child a="1"/></nons></prop></set></propertyupdate>`,
			[]PropOp{{Name: Name{"", "nons"}, Value: []byte(`<nons xmlns="">x<child a="1"/></nons>`)}}},
		{"DAV namespace property written with D",
			`<propertyupdate xmlns="DAV:"><set><prop><displayname>n</displayname></prop></set></propertyupdate>`,
			[]PropOp{{Name: Name{"DAV:", "displayname"}, Value: []byte(`<D:displayname xmlns:D="DAV:">n</D:displayname>`)}}},
		{"xml:lang on the property and inherited from prop",
			`<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop xml:lang="fr"><Z:a xmlns:Z="urn:z">bonjour</Z:a><Z:b xmlns:Z="urn:z" xml:lang="en-GB">colour<Z:c xml:lang="de"/></Z:b></D:prop></D:set></D:propertyupdate>`,
			[]PropOp{
				{Name: Name{"urn:z", "a"}, Value: []byte(`<Z:a xmlns:Z="urn:z" xml:lang="fr">bonjour</Z:a>`)},
				{Name: Name{"urn:z", "b"}, Value: []byte(`<Z:b xmlns:Z="urn:z" xml:lang="en-GB">colour<Z:c xml:lang="de"/></Z:b>`)},
			}},
		{"high Unicode, character references, escapes, CDATA",
			`<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:u xmlns:Z="urn:z">` + "\U00010000" + `&#x10001;&#65536; a&amp;b &lt;c&gt; "q" <![CDATA[<x>&]]>` + "\r\n" + `</Z:u></D:prop></D:set></D:propertyupdate>`,
			[]PropOp{{Name: Name{"urn:z", "u"}, Value: []byte(`<Z:u xmlns:Z="urn:z">` + "\U00010000\U00010001\U00010000" + ` a&amp;b &lt;c&gt; "q" &lt;x&gt;&amp;` + "\n" + `</Z:u>`)}}},
		{"attributes with and without namespace, escaped",
			`<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:a xmlns:Z="urn:z" xmlns:Y="urn:y" Y:k="1&lt;2" plain='say "hi"'/></D:prop></D:set></D:propertyupdate>`,
			[]PropOp{{Name: Name{"urn:z", "a"}, Value: []byte(`<Z:a xmlns:Z="urn:z" xmlns:Y="urn:y" Y:k="1&lt;2" plain="say &#34;hi&#34;"/>`)}}},
		{"set with empty prop", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop/></D:set></D:propertyupdate>`, nil},
		{"unknown elements ignored", `<D:propertyupdate xmlns:D="DAV:"><X:y xmlns:X="urn:x"/><D:set><X:z xmlns:X="urn:x"/><D:prop><D:a/></D:prop></D:set></D:propertyupdate>`,
			[]PropOp{{Name: Name{"DAV:", "a"}, Value: []byte(`<D:a xmlns:D="DAV:"/>`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePropPatch(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParsePropPatch: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d ops, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Remove != w.Remove || g.Name != w.Name || !bytes.Equal(g.Value, w.Value) || (g.Value == nil) != (w.Value == nil) {
					t.Errorf("op %d:\n got {Remove:%v Name:%v Value:%s}\nwant {Remove:%v Name:%v Value:%s}",
						i, g.Remove, g.Name, g.Value, w.Remove, w.Name, w.Value)
				}
			}
		})
	}
}

func TestParsePropPatchErrors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty body", ""},
		{"garbage", "<<<"},
		{"wrong root", `<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>`},
		{"root without namespace", `<propertyupdate><set><prop><a/></prop></set></propertyupdate>`},
		{"no set or remove", `<D:propertyupdate xmlns:D="DAV:"/>`},
		{"set without prop", `<D:propertyupdate xmlns:D="DAV:"><D:set><Z:a xmlns:Z="urn:z"/></D:set></D:propertyupdate>`},
		{"remove without prop", `<D:propertyupdate xmlns:D="DAV:"><D:remove/></D:propertyupdate>`},
		{"truncated value", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:a xmlns:Z="urn:z"><Z:b>`},
		{"undeclared prefix in value", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:a xmlns:Z="urn:z"><Y:b/></Z:a></D:prop></D:set></D:propertyupdate>`},
		{"empty prefix declaration in value", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><Z:a xmlns:Z=""/></D:prop></D:set></D:propertyupdate>`},
		{"mismatched end in value", `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><a xmlns="urn:a"><b></a></b></D:prop></D:set></D:propertyupdate>`},
		{"content after root", `<D:propertyupdate xmlns:D="DAV:"><D:remove><D:prop><D:a/></D:prop></D:remove></D:propertyupdate>junk`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := ParsePropPatch(strings.NewReader(tt.in)); err == nil {
				t.Errorf("ParsePropPatch(%q) = %+v, want an error", tt.in, got)
			}
		})
	}
}

// TestPropPatchRoundTrip parses a PROPPATCH, writes the values back with MultistatusWriter as a
// PROPFIND answer would, decodes that output with encoding/xml, and checks that each property came
// back with the same namespaces, attributes (xml:lang included) and character data as in the request.
func TestPropPatchRoundTrip(t *testing.T) {
	const req = `<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/ns/z">
 <D:set><D:prop xml:lang="fr">
   <Z:plain>hello &amp; &lt;world&gt; "quoted" 'single'</Z:plain>
   <Z:nested><X:inner xmlns:X="http://example.com/ns/x" X:attr="v&amp;w" plain="p">text<Y:deep xmlns:Y="urn:y" Y:k=""/></X:inner>tail</Z:nested>
   <valnspace xmlns="http://example.com/neon/litmus/"><foo xmlns="bar">x</foo></valnspace>
   <Z:langed xml:lang="en-GB">colour</Z:langed>
   <Z:unlang xml:lang="">none</Z:unlang>
   <Z:high>` + "\U00010000 &#x10001; 日本 \U0010FFFD" + `</Z:high>
   <Z:empty/>
   <nons xmlns="">no namespace <child/> <Z:back/></nons>
   <D:displayname>DAV prop</D:displayname>
   <Z:cdata><![CDATA[<not> & an element]]></Z:cdata>
   <Z:ws>  line1
  line2	</Z:ws>
   <Z:shadow><Z:inner xmlns:Z="urn:other"><D:x/></Z:inner></Z:shadow>
   <ns0:clash xmlns:ns0="urn:clash"><q xmlns="urn:q"><ns0:r/></q></ns0:clash>
 </D:prop></D:set>
 <D:remove><D:prop><Z:gone/></D:prop></D:remove>
 <D:set><D:prop><Z:again>2</Z:again></D:prop></D:set>
</D:propertyupdate>`

	ops, err := ParsePropPatch(strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	var props []Prop
	for _, op := range ops {
		if !op.Remove {
			props = append(props, Prop{Name: op.Name, Value: op.Value, Raw: true})
		}
	}
	var out bytes.Buffer
	m := NewMultistatusWriter(&out)
	if err := m.Propstats("/dav/files/g/f.txt", []Propstat{{Status: 200, Props: props}}); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	want := canonicalChildren(t, []byte(req), xml.Name{Space: "DAV:", Local: "prop"})
	// The removal's <Z:gone/> is not written back.
	for i, w := range want {
		if strings.Contains(w, "}gone>") {
			want = append(want[:i], want[i+1:]...)
			break
		}
	}
	got := canonicalChildren(t, out.Bytes(), xml.Name{Space: "DAV:", Local: "prop"})
	if len(got) != len(want) || len(got) != len(props) {
		t.Fatalf("got %d properties back, want %d (%d written)\n%s", len(got), len(want), len(props), out.Bytes())
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("property %d changed in the round trip\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	// Spot checks that do not depend on the canonical form.
	for _, s := range []string{
		`{http://example.com/ns/z}high {` + spaceXML + `}lang=fr>` + "\U00010000 \U00010001 日本 \U0010FFFD",
		`{http://example.com/ns/z}langed {` + spaceXML + `}lang=en-GB>colour`,
		`{http://example.com/ns/z}unlang {` + spaceXML + `}lang=>none`,
		`<{bar}foo>x</>`,
		`<{}nons {` + spaceXML + `}lang=fr>no namespace <{}child></> <{http://example.com/ns/z}back></></>`,
		`<{urn:other}inner><{DAV:}x></></>`,
		`<{urn:q}q><{urn:clash}r></></>`,
	} {
		if !strings.Contains(strings.Join(got, "\n"), s) {
			t.Errorf("round trip output lacks %q:\n%s", s, strings.Join(got, "\n"))
		}
	}

	// The values must also survive a second round: parse the PROPPATCH they would make.
	var again bytes.Buffer
	again.WriteString(`<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>`)
	for _, p := range props {
		again.Write(p.Value)
	}
	again.WriteString(`</D:prop></D:set></D:propertyupdate>`)
	ops2, err := ParsePropPatch(&again)
	if err != nil {
		t.Fatalf("re-parsing the stored values: %v", err)
	}
	if len(ops2) != len(props) {
		t.Fatalf("re-parse gave %d ops, want %d", len(ops2), len(props))
	}
	for i := range ops2 {
		if !bytes.Equal(ops2[i].Value, props[i].Value) {
			t.Errorf("value %d is not a fixed point:\n first %s\nsecond %s", i, props[i].Value, ops2[i].Value)
		}
	}
}
