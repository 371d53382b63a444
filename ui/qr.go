package ui

import (
	"image/png"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gofiber/fiber/v2"
)

// QR codes are drawn here, as PNG from an endpoint: the pages' CSP allows no data: URL. The
// library is boombuler/barcode, which the TOTP library already brings in; it leaves out the quiet
// zone, which the stylesheet draws as a white border (.qr).

// qrSize is the side of the image in pixels: enough for a phone to read an otpauth:// URI off a
// screen.
const qrSize = 320

// sendQR answers with content as a QR code, never cached: it may carry a secret.
func sendQR(c *fiber.Ctx, content string) error {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return err
	}
	if code, err = barcode.Scale(code, qrSize, qrSize); err != nil {
		return err
	}
	noStore(c)
	c.Type("png")
	return png.Encode(c.Response().BodyWriter(), code)
}
