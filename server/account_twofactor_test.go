package server

import (
	"bytes"
	"image"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// TestAccountTwoFactorPage: enrolment from the page (secret shown, QR code of its otpauth:// URI,
// a wrong code refused, a computed code accepted, recovery codes shown once), then sign-in asks
// for a code, and turning it off from the page takes one.
func TestAccountTwoFactorPage(t *testing.T) {
	ts := newTestServer(t)
	b := accountBrowser(t, ts, alice, "en")
	if status, _, _ := b.do("GET", "/account/2fa/qr.png", nil); status != 404 {
		t.Fatalf("QR code before enrolment: %d", status)
	}
	if status, _, h := b.submit("/account/2fa", "/account/2fa/start", nil); status != 303 || h.Get("Location") != "/account/2fa" {
		t.Fatalf("start: %d", status)
	}
	page := mustGet(t, b, "/account/2fa")
	secret := elementText(t, page, "totp-secret")
	if len(secret) != 32 || !strings.Contains(page, `src="/account/2fa/qr.png"`) {
		t.Fatalf("enrolment page: secret %q\n%s", secret, page)
	}
	checkQR(t, b, "/account/2fa/qr.png", "otpauth://totp/Parvis:alice@example.org?algorithm=SHA1&digits=6&issuer=Parvis&period=30&secret="+secret)

	if status, body, _ := b.submit("/account/2fa", "/account/2fa/confirm", url.Values{"code": {"000000"}}); status != 422 || !strings.Contains(body, `id="code-error"`) {
		t.Fatalf("wrong code: %d\n%s", status, body)
	}
	clock := totpClock{secret: secret, base: time.Now()}
	status, body, h := b.submit("/account/2fa", "/account/2fa/confirm", url.Values{"code": {clock.code(t, 0)}})
	codes := strings.Fields(elementText(t, body, "recovery-codes"))
	if status != 200 || len(codes) != 10 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("confirm: %d, %d codes\n%s", status, len(codes), body)
	}
	if page := mustGet(t, b, "/account/2fa"); !strings.Contains(page, "Two-step verification is on.") || strings.Contains(page, secret) || strings.Contains(page, codes[0]) {
		t.Fatalf("status page shows a secret, or not the state\n%s", page)
	}
	if status, _, _ := b.do("GET", "/account/2fa/qr.png", nil); status != 404 {
		t.Fatalf("QR code once on: %d", status)
	}

	if status, _ := signInWithCode(t, newBrowser(t, ts.URL, "en"), alice, clock.code(t, 1)); status != 303 {
		t.Fatalf("sign-in with the next code: %d", status)
	}

	if status, body, _ := b.submit("/account/2fa", "/account/2fa/disable", url.Values{"code": {"000000"}}); status != 422 || !strings.Contains(body, `id="disable-error"`) {
		t.Fatalf("disable with a wrong code: %d\n%s", status, body)
	}
	status, body, _ = b.submit("/account/2fa", "/account/2fa/disable", url.Values{"code": {codes[0]}})
	if status != 200 || !strings.Contains(body, "Two-step verification is now off.") {
		t.Fatalf("disable with a recovery code: %d\n%s", status, body)
	}
	fresh := newBrowser(t, ts.URL, "en")
	if status, _, h := fresh.do("POST", "/login", url.Values{"_csrf": {fresh.form("/login")}, "email": {alice}, "password": {pw}}); status != 303 || h.Get("Location") != "/" {
		t.Fatalf("sign-in once off: %d → %s", status, h.Get("Location"))
	}
}

// checkQR fetches a QR code endpoint and checks it is a PNG of the expected size showing exactly
// content: the library cannot read codes back, so the same content is drawn again and compared
// pixel by pixel.
func checkQR(t *testing.T, b *browser, path, content string) {
	t.Helper()
	status, body, h := b.do("GET", path, nil)
	if status != 200 || h.Get("Content-Type") != "image/png" {
		t.Fatalf("%s: %d %s", path, status, h.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 320 {
		t.Fatalf("%s: %v", path, b)
	}
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := barcode.Scale(code, 320, 320)
	if !sameImage(img, want) {
		t.Fatalf("%s does not encode %q", path, content)
	}
}

// sameImage compares two images by the darkness of each pixel.
func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			ra, _, _, _ := a.At(x, y).RGBA()
			rb, _, _, _ := b.At(x, y).RGBA()
			if (ra < 0x8000) != (rb < 0x8000) {
				return false
			}
		}
	}
	return true
}
