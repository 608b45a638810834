package controllers

// RBAC of the certorder controller. controller-gen writes config/rbac/role.yaml
// from these markers; the Helm chart is generated from that file.
//
// Secrets are read one at a time with get through an uncached reader, at
// each check of an issuer. The opt-in --watch-secrets adds list and watch
// for a metadata-only informer; that RBAC ships separately (config/rbac/
// secret_watch_role.yaml and the chart's watchSecrets value), never here.
//
// +kubebuilder:rbac:groups=certorder.dev,resources=digicertissuers;digicertclusterissuers;openproviderissuers;openproviderclusterissuers,verbs=get;list;watch
// +kubebuilder:rbac:groups=certorder.dev,resources=digicertissuers/status;digicertclusterissuers/status;openproviderissuers/status;openproviderclusterissuers/status,verbs=get;patch;update
// +kubebuilder:rbac:groups=certorder.dev,resources=certificateorders,verbs=get;list;watch;create;patch;update
// +kubebuilder:rbac:groups=certorder.dev,resources=certificateorders/status,verbs=get;patch;update
// +kubebuilder:rbac:groups=cert-manager.io,resources=certificaterequests,verbs=get;list;watch;patch;update
// +kubebuilder:rbac:groups=cert-manager.io,resources=certificaterequests/status,verbs=get;patch;update
// +kubebuilder:rbac:groups=cert-manager.io,resources=certificates,verbs=get
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get
// +kubebuilder:rbac:groups="";events.k8s.io,resources=events,verbs=create;patch
