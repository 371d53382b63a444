package blob

import (
	"context"
	"testing"

	"parvis/test/miniotest"
)

// startMinIO runs a real MinIO server on loopback for one test and returns a store on a fresh bucket.
func startMinIO(t *testing.T) *S3 {
	t.Helper()
	m := miniotest.Start(t)
	s, err := OpenS3(context.Background(), S3Config{Endpoint: m.Addr, Bucket: "parvis-test", AccessKey: miniotest.User,
		SecretKey: miniotest.Secret, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
