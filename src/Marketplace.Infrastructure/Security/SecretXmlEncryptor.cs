using System.Xml.Linq;
using Marketplace.Application.Common.Interfaces;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Infrastructure.Security;

/// <summary>
/// Encrypts Data Protection's key elements with the service's secret keys before they are stored in
/// the database: whoever reads the database (a backup, a replica) cannot mint bearer tokens.
/// </summary>
public sealed class SecretXmlEncryptor(ISecretProtector protector) : IXmlEncryptor
{
    internal const string ElementName = "secretProtected";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement(ElementName, protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting))),
            typeof(SecretXmlDecryptor));
}

/// <summary>The other half of <see cref="SecretXmlEncryptor"/>; Data Protection creates it by type name, with the service provider.</summary>
public sealed class SecretXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        if (encryptedElement.Name != SecretXmlEncryptor.ElementName)
            throw new InvalidOperationException($"Expected a <{SecretXmlEncryptor.ElementName}> element.");
        return XElement.Parse(services.GetRequiredService<ISecretProtector>().Unprotect(encryptedElement.Value));
    }
}
