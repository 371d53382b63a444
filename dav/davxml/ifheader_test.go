package davxml

import (
	"reflect"
	"testing"
)

func TestParseIf(t *testing.T) {
	tok := func(s string) IfCondition { return IfCondition{Token: s} }
	notTok := func(s string) IfCondition { return IfCondition{Not: true, Token: s} }
	etag := func(s string) IfCondition { return IfCondition{ETag: s} }
	tests := []struct {
		name string
		in   string
		want IfHeader
	}{
		{"untagged token", "(<opaquelocktoken:a-b-c>)",
			IfHeader{[]IfList{{"", []IfCondition{tok("opaquelocktoken:a-b-c")}}}}},
		{"untagged token and etag ANDed", `(<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2> ["I am an ETag"])`,
			IfHeader{[]IfList{{"", []IfCondition{tok("urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2"), etag(`"I am an ETag"`)}}}}},
		{"two untagged lists ORed", `(["I am an ETag"]) (["I am another ETag"])`,
			IfHeader{[]IfList{{"", []IfCondition{etag(`"I am an ETag"`)}}, {"", []IfCondition{etag(`"I am another ETag"`)}}}}},
		{"Not", "(Not <urn:uuid:x> <urn:uuid:y>)",
			IfHeader{[]IfList{{"", []IfCondition{notTok("urn:uuid:x"), tok("urn:uuid:y")}}}}},
		{"Not DAV:no-lock (RFC 4918 §10.4.8)", "(<urn:uuid:x>) (Not <DAV:no-lock>)",
			IfHeader{[]IfList{{"", []IfCondition{tok("urn:uuid:x")}}, {"", []IfCondition{notTok("DAV:no-lock")}}}}},
		{"not in lower case, no spaces", "(not<DAV:no-lock>)",
			IfHeader{[]IfList{{"", []IfCondition{notTok("DAV:no-lock")}}}}},
		{"Not with etag", `(Not ["x"])`,
			IfHeader{[]IfList{{"", []IfCondition{{Not: true, ETag: `"x"`}}}}}},
		{"weak etag", `([W/"abc"])`,
			IfHeader{[]IfList{{"", []IfCondition{etag(`W/"abc"`)}}}}},
		{"etag containing ]", `(["a]b"])`,
			IfHeader{[]IfList{{"", []IfCondition{etag(`"a]b"`)}}}}},
		{"empty etag", `([""])`,
			IfHeader{[]IfList{{"", []IfCondition{etag(`""`)}}}}},
		{"tagged list", `<http://www.example.com/specs/> (<urn:uuid:a>)`,
			IfHeader{[]IfList{{"http://www.example.com/specs/", []IfCondition{tok("urn:uuid:a")}}}}},
		{"tagged, two tags, two lists on the first",
			"<http://a/x> (<urn:uuid:1>) ([\"e\"])\t<http://a/y> (Not <urn:uuid:2>)",
			IfHeader{[]IfList{
				{"http://a/x", []IfCondition{tok("urn:uuid:1")}},
				{"http://a/x", []IfCondition{etag(`"e"`)}},
				{"http://a/y", []IfCondition{notTok("urn:uuid:2")}},
			}}},
		{"tagged with path-absolute", `</dav/files/g/a%20b.txt> (<opaquelocktoken:t>)`,
			IfHeader{[]IfList{{"/dav/files/g/a%20b.txt", []IfCondition{tok("opaquelocktoken:t")}}}}},
		{"surrounding and inner white space", "  ( <urn:x>\t[\"e\"] )  ",
			IfHeader{[]IfList{{"", []IfCondition{tok("urn:x"), etag(`"e"`)}}}}},
		{"lists without space between", "(<urn:a>)(<urn:b>)",
			IfHeader{[]IfList{{"", []IfCondition{tok("urn:a")}}, {"", []IfCondition{tok("urn:b")}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIf(tt.in)
			if err != nil {
				t.Fatalf("ParseIf(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseIf(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseIfErrors(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"blank", "   "},
		{"empty list", "()"},
		{"unterminated list", "(<urn:a>"},
		{"unterminated coded url", "(<urn:a)"},
		{"empty coded url", "(<>)"},
		{"space in coded url", "(<urn:a b>)"},
		{"bare word token", "(urn:a)"},
		{"Not alone", "(Not)"},
		{"Not at end", "(Not"},
		{"Not twice", "(Not Not <urn:a>)"},
		{"word starting with not", "(Nothing <urn:a>)"},
		{"unquoted etag", "([abc])"},
		{"unterminated etag", `(["abc)`},
		{"etag without closing bracket", `(["abc" <urn:a>)`},
		{"weak etag unquoted", "([W/abc])"},
		{"control character inside etag", "([\"a\x01b\"])"},
		{"tag without list", "<http://a/>"},
		{"two tags in a row", "<http://a/> <http://b/> (<urn:a>)"},
		{"tag after untagged list", "(<urn:a>) <http://a/> (<urn:b>)"},
		{"trailing tag", "<http://a/> (<urn:a>) <http://b/>"},
		{"garbage after list", "(<urn:a>) x"},
		{"garbage before list", "x (<urn:a>)"},
		{"stray close paren", "(<urn:a>))"},
		{"nested list", "((<urn:a>))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := ParseIf(tt.in); err == nil {
				t.Errorf("ParseIf(%q) = %+v, want an error", tt.in, got)
			}
		})
	}
}
