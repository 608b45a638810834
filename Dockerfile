# syntax=docker/dockerfile:1
# The certorder controller image: a static binary on distroless, non-root.
#   docker build --build-arg VERSION=v0.1.0 -t ghcr.io/certorder/certorder:v0.1.0 .
# test/image checks this file and builds the binary the same way.

FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS=linux
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/certorder .

FROM gcr.io/distroless/static:nonroot
LABEL org.opencontainers.image.source="https://github.com/certorder/certorder" \
      org.opencontainers.image.description="cert-manager external issuer for DigiCert CertCentral and Openprovider SSL"
COPY --from=build /out/certorder /certorder
USER 65532:65532
ENTRYPOINT ["/certorder"]
