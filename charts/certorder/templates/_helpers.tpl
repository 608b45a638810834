{{/* The chart's name, overridable. */}}
{{- define "certorder.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name, the prefix of every object it creates. */}}
{{- define "certorder.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "certorder.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "certorder.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "certorder.selectorLabels" -}}
app.kubernetes.io/name: {{ include "certorder.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "certorder.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "certorder.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with merge (dict) .Values.commonLabels ((.Values.global).commonLabels | default dict) }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The controller image: [registry/]repository[:tag][@digest]. */}}
{{- define "certorder.image" -}}
{{- with .Values.image.registry }}{{ . }}/{{ end }}
{{- .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- with .Values.image.digest }}@{{ . }}{{ end }}
{{- end }}

{{/* imagePullSecrets and global.imagePullSecrets. */}}
{{- define "certorder.imagePullSecrets" -}}
{{- concat .Values.imagePullSecrets ((.Values.global).imagePullSecrets | default list) | toYaml }}
{{- end }}

{{- define "certorder.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "certorder.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
