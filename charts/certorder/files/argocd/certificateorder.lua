-- Argo CD health of a CertificateOrder: the state of its order at the CA.
-- An expired order is healthy: the Certificate's next renewal places a new
-- one.
local hs = {status = "Progressing", message = "No order placed yet"}
if obj.status == nil or obj.status.state == nil then
  return hs
end
local state = obj.status.state
hs.message = "Order " .. (obj.status.orderID or "?") .. " is " .. state
if state == "Active" or state == "Expired" then
  hs.status = "Healthy"
elseif state == "Failed" then
  hs.status = "Degraded"
end
return hs
