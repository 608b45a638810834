-- Argo CD health of a certorder issuer (any of the four kinds): its Ready
-- condition, once the controller has seen the current spec.
local hs = {status = "Progressing", message = "Waiting for the controller to check the issuer"}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      if c.observedGeneration ~= nil and obj.metadata.generation ~= nil and c.observedGeneration < obj.metadata.generation then
        return hs
      end
      hs.message = (c.reason or "") .. ": " .. (c.message or "")
      if c.status == "True" then
        hs.status = "Healthy"
      elseif c.status == "False" then
        hs.status = "Degraded"
      end
      return hs
    end
  end
end
return hs
